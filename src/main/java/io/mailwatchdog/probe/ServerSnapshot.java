package io.mailwatchdog.probe;

import java.time.Instant;

/** An outgoing mail server and the verdict of its connection test (never its password). */
public record ServerSnapshot(int id, String name, String host, int port, String user, String encryption,
                             int sequence, String fromFilter, SmtpTest test) {

    /**
     * outcome: PASS, FAIL, INCONCLUSIVE, or NOT_TESTED (--no-smtp-test, or probe.smtp-test = false).
     * cachedFrom is set when a refused login is not retested yet (slow backoff).
     */
    public record SmtpTest(String outcome, String failureClass, String detail, Instant testedAt, Instant cachedFrom) {
    }
}
