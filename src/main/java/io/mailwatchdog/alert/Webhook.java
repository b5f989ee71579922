package io.mailwatchdog.alert;

import io.mailwatchdog.config.Secret;
import java.util.Objects;

/**
 * One receiver of alerts. The URL is a {@link Secret} because it often is one (a Slack URL is its own
 * credential); logs name the webhook by {@code name}, never by its URL.
 */
public record Webhook(String name, Secret url, WebhookFormat format) {

    public Webhook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a webhook needs a name");
        }
    }
}
