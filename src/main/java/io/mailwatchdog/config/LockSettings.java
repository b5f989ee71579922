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
 * @param settleInterval the pause after taking the lock, before the first write
 */
public record LockSettings(Duration lease, Duration settleInterval) {
    public LockSettings {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(settleInterval, "settleInterval");
    }
}
