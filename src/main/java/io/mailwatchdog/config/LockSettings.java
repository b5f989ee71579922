package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The lock that keeps two flushes of one target from running at once (they would deliver
 * duplicates).
 *
 * @param lease          how long a taken lock holds, counted on Odoo's clock from the lock
 *                       record's write_date; longer than {@link FlushSettings#callTimeout()} and
 *                       {@link Timeouts#reply()}, so that it outlasts the longest call
 * @param settleInterval how often moving mails are re-read until they settle
 * @param quietWindow    after a call that broke off (timeout, crash), how long its mails must stay
 *                       unchanged before they count as settled: Odoo may still be sending them
 */
public record LockSettings(Duration lease, Duration settleInterval, Duration quietWindow) {
    public LockSettings {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(settleInterval, "settleInterval");
        Objects.requireNonNull(quietWindow, "quietWindow");
    }
}
