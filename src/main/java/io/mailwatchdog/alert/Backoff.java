package io.mailwatchdog.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The wait before the next attempt: doubling from the first backoff, never beyond {@link AlertSettings#MAX_BACKOFF}. */
final class Backoff {

    private Backoff() {
    }

    /**
     * The wait after {@code failedAttempts} failed attempts (1 after the first). A receiver's
     * Retry-After lengthens it, never shortens it, and is bounded like the rest.
     */
    static Duration after(Duration first, int failedAttempts, Duration retryAfter) {
        Duration max = AlertSettings.MAX_BACKOFF;
        Duration wait = first;
        for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** A Retry-After header: seconds, or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, AlertSettings.MAX_BACKOFF.toSeconds()));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return when.isAfter(now) ? Duration.between(now, when) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
