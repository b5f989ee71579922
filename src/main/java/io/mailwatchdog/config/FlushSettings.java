package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Flushing the queue with {@code mail.mail.process_email_queue(ids)}.
 *
 * @param enabled          whether the daemon flushes (only in {@link Mode#ACT})
 * @param after            how long due outgoing mail waits before the daemon flushes it
 * @param batchSize        mail ids per call, 1..10000
 * @param maxBatchesPerRun calls per flush run, at least 1
 * @param callTimeout      reply timeout of one flush call (Odoo sends the batch synchronously);
 *                         shorter than {@link LockSettings#lease()}
 */
public record FlushSettings(boolean enabled, Duration after, int batchSize, int maxBatchesPerRun,
                            Duration callTimeout) {
    public FlushSettings {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(callTimeout, "callTimeout");
    }
}
