package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Cleaning stale mail (issue 5): cancel what waited too long, cancel or purge old exceptions, every row
 * archived first.
 *
 * @param enabled             whether the daemon cleans by itself (mode act only); an operator's
 *                            {@code cleanup --apply} works either way
 * @param cancelOutgoingAfter outgoing mail due for longer than this is cancelled
 * @param exceptionsAfter     exceptions that last failed longer ago than this are cancelled (or purged)
 * @param purge               delete those exceptions (unlink) instead of cancelling them
 * @param archiveRetention    archives older than this are deleted from state-dir
 * @param batchSize           mails per write, so that a million rows never make one long call
 * @param maxBatchesPerRun    batches per run of the daemon; the rest waits for the next run
 */
public record StaleSettings(boolean enabled, Duration cancelOutgoingAfter, Duration exceptionsAfter, boolean purge,
                            Duration archiveRetention, int batchSize, int maxBatchesPerRun) {
    public StaleSettings {
        Objects.requireNonNull(cancelOutgoingAfter, "cancelOutgoingAfter");
        Objects.requireNonNull(exceptionsAfter, "exceptionsAfter");
        Objects.requireNonNull(archiveRetention, "archiveRetention");
    }
}
