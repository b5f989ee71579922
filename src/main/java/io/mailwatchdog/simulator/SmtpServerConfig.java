package io.mailwatchdog.simulator;

import java.time.Duration;
import java.util.Properties;

/**
 * Where and how the simulated Odoo talks SMTP: an {@code ir.mail_server} row, or the database's
 * default server (what Odoo's config file {@code smtp_server}/{@code smtp_port} would say). Like Odoo
 * 16.0–18.0 (Python's default SSL context for SMTP), certificates are not verified.
 */
record SmtpServerConfig(String host, int port, String encryption, String user, String password, String fromFilter) {

    static SmtpServerConfig plain(String host, int port) {
        return new SmtpServerConfig(host, port, "none", null, null, null);
    }

    String protocol() {
        return "ssl".equals(encryption) ? "smtps" : "smtp";
    }

    /** Jakarta Mail properties, with Odoo's SMTP_TIMEOUT analogue for every blocking step. */
    Properties properties(Duration timeout) {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.put(p + "host", host);
        props.put(p + "port", String.valueOf(port));
        String millis = String.valueOf(Math.max(1, timeout.toMillis()));
        props.put(p + "connectiontimeout", millis);
        props.put(p + "timeout", millis);
        props.put(p + "writetimeout", millis);
        props.put(p + "auth", String.valueOf(user != null && !user.isEmpty()));
        props.put(p + "localhost", "simulated-odoo");
        // Python's sendmail delivers to the accepted recipients and fails only when all are refused.
        props.put(p + "sendpartial", "true");
        // Odoo closes a test connection in the middle of DATA: do not wait for an answer to QUIT.
        props.put(p + "quitwait", "false");
        props.put(p + "ssl.trust", "*");
        props.put(p + "ssl.checkserveridentity", "false");
        if ("starttls".equals(encryption)) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        return props;
    }

    boolean authenticates() {
        return user != null && !user.isEmpty();
    }

    @Override
    public String toString() {
        // Never the password: this shows up in logs and test failures.
        return "SmtpServerConfig[" + host + ":" + port + ", " + encryption + (authenticates() ? ", user " + user : "") + "]";
    }
}
