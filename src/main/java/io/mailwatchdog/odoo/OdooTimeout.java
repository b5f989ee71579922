package io.mailwatchdog.odoo;

/** The request was sent but no complete reply came in time. Odoo may still be working on it. */
public final class OdooTimeout extends OdooException {
    private static final long serialVersionUID = 1L;

    public OdooTimeout(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "timeout";
    }

    @Override
    public boolean outcomeUnknown() {
        return true;
    }
}
