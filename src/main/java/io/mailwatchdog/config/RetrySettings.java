package io.mailwatchdog.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Retrying failed mail (issue 5): which exceptions may be requeued, and how fast.
 *
 * @param enabled          whether the daemon retries by itself (mode act only); an operator's
 *                         {@code retry --apply} works either way
 * @param canarySize       mails of the first, proving batch (the newest eligible)
 * @param chunkSize        mails per chunk after the canary
 * @param ratePerMinute    pace of requeued mail, 0 = unpaced
 * @param dailyQuota       mails the retry may send per UTC day (the provider's quota), 0 = none
 * @param maxAttempts      requeues of one mail, ever (counted in the journal)
 * @param maxAge           a mail older than this (from create_date) is no longer retried
 * @param failureThreshold failed fraction of a chunk (or canary) that opens the circuit, in (0, 1]
 * @param coolDown         how long an open circuit waits before one canary tries again (half-open)
 * @param modelOrder       mails of these models go first, in this order; the rest after them
 */
public record RetrySettings(boolean enabled, int canarySize, int chunkSize, int ratePerMinute, int dailyQuota,
                            int maxAttempts, Duration maxAge, double failureThreshold, Duration coolDown,
                            List<String> modelOrder) {
    public RetrySettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(coolDown, "coolDown");
        modelOrder = List.copyOf(modelOrder);
    }
}
