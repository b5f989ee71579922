package io.mailwatchdog.odoo;

/**
 * Odoo refused the login ({@code authenticate} returned False, or Fault 3 on a call). The watchdog
 * parks the target: Odoo blocks a source IP for a minute after 5 failures, and behind a proxy that
 * locks real users out.
 */
public final class LoginRefused extends OdooException {
    private static final long serialVersionUID = 1L;

    public LoginRefused(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "login-refused";
    }
}
