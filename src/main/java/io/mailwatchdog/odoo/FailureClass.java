package io.mailwatchdog.odoo;

/**
 * Why Odoo could not send a mail (DESIGN.md "Failure classes").
 *
 * <p>{@link #retryable()} says whether the class may ever be retried automatically; the conditions
 * (server test passes again, configuration fixed, pacing under the quota, a bounded number of
 * attempts) are the recovery policy's business, not this enum's.
 */
public enum FailureClass {
    /** Login refused or impossible (535/534/530, no AUTH extension). Retry after the server test passes. */
    AUTH(true),
    /** Refused, unreachable, DNS, timeout, connection closed. Retry after the server test passes. */
    TRANSPORT(true),
    /** Handshake, certificate, STARTTLS not offered. Retry after the configuration is fixed. */
    TLS(true),
    /** MAIL FROM refused, or Odoo found no valid From. Only an operator can say it is fixed. */
    SENDER(false),
    /** Temporary refusal (421/45x, 4.x.x, rate, quota). Retry later, paced. */
    RATE_LIMIT(true),
    /** Recipient's mailbox full (552/452 with 5.2.2/4.2.2). Retry later, a bounded number of times. */
    MAILBOX(true),
    /** Recipient unknown or excluded by Odoo (invalid, missing, blacklisted, opted out, duplicate, spam). Never. */
    RECIPIENT(false),
    /** Message refused for what it is (spam, policy, too big). Never. */
    CONTENT(false),
    /** Anything else, including a send that may or may not have happened. Never automatically. */
    UNKNOWN(false);

    private final boolean retryable;

    FailureClass(boolean retryable) {
        this.retryable = retryable;
    }

    /** True when an automatic retry is allowed once the class's own condition holds. */
    public boolean retryable() {
        return retryable;
    }
}
