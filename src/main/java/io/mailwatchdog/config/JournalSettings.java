package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Rotating the journal of a target, so that it does not grow without end (every retry batch adds ~20 KiB, and a
 * retry reads it whole before each group).
 *
 * @param rotateAt         the journal file's size, in bytes, from which it is rotated
 * @param keep             records younger than this stay in the journal file (at least {@code retry.max-age} and a
 *                         day: what the retry's attempts, quota and circuit are counted from); open intents always
 * @param archiveRetention rotated journal files older than this are deleted
 */
public record JournalSettings(long rotateAt, Duration keep, Duration archiveRetention) {
    public JournalSettings {
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(archiveRetention, "archiveRetention");
    }

    /** What stays in the file: {@code keep}, but never less than the retry's max-age and a day. */
    public Duration keepFor(RetrySettings retry) {
        Duration needed = retry.maxAge().plusDays(1);
        return keep.compareTo(needed) >= 0 ? keep : needed;
    }
}
