package io.mailwatchdog.odoo;

import java.util.Objects;

/**
 * What a server test means.
 *
 * @param outcome      pass, fail or no verdict
 * @param failureClass null on PASS; on INCONCLUSIVE the class of the evidence (RECIPIENT for a refused
 *                     test recipient, UNKNOWN for a watchdog-side configuration problem)
 * @param detail       one human-readable line, never null
 */
public record SmtpTestVerdict(SmtpTestOutcome outcome, FailureClass failureClass, String detail) {

    public SmtpTestVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if ((outcome == SmtpTestOutcome.PASS) != (failureClass == null)) {
            throw new IllegalArgumentException("failureClass must be null exactly on PASS");
        }
        if (detail.indexOf('\n') >= 0 || detail.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("detail must be one line");
        }
    }

    public static SmtpTestVerdict pass() {
        return new SmtpTestVerdict(SmtpTestOutcome.PASS, null, "connection test successful");
    }

    static SmtpTestVerdict fail(FailureClass failureClass, String detail) {
        return new SmtpTestVerdict(SmtpTestOutcome.FAIL, failureClass, SmtpText.oneLine(detail));
    }

    static SmtpTestVerdict inconclusive(FailureClass failureClass, String detail) {
        return new SmtpTestVerdict(SmtpTestOutcome.INCONCLUSIVE, failureClass, SmtpText.oneLine(detail));
    }
}
