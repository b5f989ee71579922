package io.mailwatchdog.recovery;

import io.mailwatchdog.odoo.FailureClass;
import java.time.Instant;
import java.util.Set;

/**
 * Who asks for a retry, and for what.
 *
 * @param operator    true for {@code retry --apply} or its dry-run (an operator may name SENDER);
 *                    false for the daemon's automatic retry
 * @param classes     only these classes; empty = every class the policy retries
 * @param failedSince only mails that failed (write_date) at or after this; null = any
 * @param max         at most this many mails in this run; 0 = no limit
 */
public record RetryRequest(boolean operator, Set<FailureClass> classes, Instant failedSince, int max) {

    public RetryRequest {
        classes = Set.copyOf(classes);
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 (no limit) or positive");
        }
    }

    public static RetryRequest daemon() {
        return new RetryRequest(false, Set.of(), null, 0);
    }
}
