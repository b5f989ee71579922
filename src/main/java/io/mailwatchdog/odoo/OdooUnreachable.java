package io.mailwatchdog.odoo;

/** No connection could be made: DNS failure, connection refused, connect timeout, TLS handshake refused. */
public final class OdooUnreachable extends OdooException {
    private static final long serialVersionUID = 1L;

    public OdooUnreachable(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String kind() {
        return "unreachable";
    }
}
