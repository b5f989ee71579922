package io.mailwatchdog.alert;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where alerts go and how hard delivery tries.
 *
 * @param webhooks         the receivers; none means no alert is sent
 * @param renotifyInterval how often a check that stays WARN or FAIL is announced again (GENERIC, SLACK)
 * @param maxAttempts      HTTP attempts per alert and webhook, the first one included
 * @param firstBackoff     the wait after the first failed attempt; it doubles after each, up to {@link #MAX_BACKOFF}
 * @param requestTimeout   bounds connecting and waiting for the answer of one attempt
 * @param queueCapacity    alerts that may wait per webhook behind the one being delivered; beyond, new ones are dropped (logged, counted)
 */
public record AlertSettings(List<Webhook> webhooks, Duration renotifyInterval, int maxAttempts, Duration firstBackoff,
                            Duration requestTimeout, int queueCapacity) {

    public static final Duration DEFAULT_RENOTIFY_INTERVAL = Duration.ofHours(4);
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    /** No wait between two attempts is longer, whether doubled or asked for by a Retry-After. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public AlertSettings {
        webhooks = List.copyOf(Objects.requireNonNull(webhooks, "webhooks"));
        Objects.requireNonNull(renotifyInterval, "renotifyInterval");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Set<String> names = new HashSet<>();
        for (Webhook w : webhooks) {
            if (!names.add(w.name())) {
                throw new IllegalArgumentException("two webhooks are named " + w.name());
            }
        }
        if (renotifyInterval.isNegative() || renotifyInterval.isZero()) {
            throw new IllegalArgumentException("renotifyInterval must be positive, not " + renotifyInterval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative, not " + firstBackoff);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, not " + requestTimeout);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
    }

    /** These webhooks with every default: re-notify every 4 h, 6 attempts from 2 s doubling, 10 s per request, 1000 queued. */
    public static AlertSettings defaults(List<Webhook> webhooks) {
        return new AlertSettings(webhooks, DEFAULT_RENOTIFY_INTERVAL, DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_QUEUE_CAPACITY);
    }
}
