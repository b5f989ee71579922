package io.mailwatchdog.odoo;

/** The reply was larger than the configured cap; it was refused before parsing. */
public final class OdooResponseTooLarge extends OdooProtocolError {
    private static final long serialVersionUID = 1L;

    public OdooResponseTooLarge(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "too-large";
    }
}
