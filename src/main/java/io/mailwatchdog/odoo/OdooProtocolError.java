package io.mailwatchdog.odoo;

/**
 * The reply was not an XML-RPC answer from Odoo: an HTTP error (often a proxy's 502), an HTML page
 * (a login or maintenance page), a body that is not XML, a truncated or hostile document.
 */
public class OdooProtocolError extends OdooException {
    private static final long serialVersionUID = 1L;

    public OdooProtocolError(String message) {
        super(message);
    }

    public OdooProtocolError(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String kind() {
        return "protocol";
    }

    @Override
    public boolean outcomeUnknown() {
        // A proxy may answer 502/504 after Odoo committed the work.
        return true;
    }
}
