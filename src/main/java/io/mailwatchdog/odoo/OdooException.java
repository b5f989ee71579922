package io.mailwatchdog.odoo;

/** Anything that went wrong talking to Odoo. Messages are one line, name the URL, and never hold a secret. */
public abstract class OdooException extends Exception {
    private static final long serialVersionUID = 1L;

    protected OdooException(String message) {
        super(message);
    }

    protected OdooException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short machine-readable kind, used in findings, metrics and JSON output. */
    public abstract String kind();

    /** True when the request may have reached Odoo and done its work: never resend a write blindly. */
    public boolean outcomeUnknown() {
        return false;
    }
}
