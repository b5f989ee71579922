package io.mailwatchdog.odoo;

/** Result of {@code ir.mail_server.test_smtp_connection}, as the watchdog reads it. */
public enum SmtpTestOutcome {
    /** No fault: Odoo connected, logged in, and MAIL FROM, RCPT TO and DATA were accepted. */
    PASS,
    /** The server (or its configuration in Odoo) is broken. */
    FAIL,
    /** The test said nothing about the server: e.g. the watchdog user has no email, or the
     *  server refuses Odoo's fixed test recipient. Neither a pass nor a fail. */
    INCONCLUSIVE
}
