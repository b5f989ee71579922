package io.mailwatchdog.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Webhook notifications on status changes.
 *
 * @param webhooks         where to send them; empty = no alerts
 * @param renotifyInterval while a target stays bad, how often it is notified again
 * @param maxAttempts      attempts per notification, the first included; at least 1
 * @param firstBackoff     the wait before the second attempt, doubled for each further one
 * @param requestTimeout   the timeout of one webhook request
 */
public record AlertsSettings(List<WebhookSettings> webhooks, Duration renotifyInterval, int maxAttempts,
                             Duration firstBackoff, Duration requestTimeout) {
    public AlertsSettings {
        webhooks = List.copyOf(webhooks);
        Objects.requireNonNull(renotifyInterval, "renotifyInterval");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
