package io.mailwatchdog.alert;

import java.time.Duration;

/**
 * How one HTTP attempt ended. {@code reason} is safe to log: it never holds the webhook's URL.
 *
 * @param where      the receiver as scheme://host[:port], for logs
 * @param retryAfter what the receiver asked for (Retry-After), or null
 */
record AttemptResult(Verdict verdict, String reason, String where, Duration retryAfter) {

    enum Verdict {
        DELIVERED,
        /** A connection error, a timeout, 408, 429 or 5xx: worth another attempt. */
        RETRY,
        /** The receiver refuses this request (another 4xx, a redirect, a bad URL): another attempt would get the same. */
        REFUSED
    }

    static AttemptResult delivered(String where) {
        return new AttemptResult(Verdict.DELIVERED, "delivered", where, null);
    }

    static AttemptResult retry(String reason, String where, Duration retryAfter) {
        return new AttemptResult(Verdict.RETRY, reason, where, retryAfter);
    }

    static AttemptResult refused(String reason, String where) {
        return new AttemptResult(Verdict.REFUSED, reason, where, null);
    }
}
