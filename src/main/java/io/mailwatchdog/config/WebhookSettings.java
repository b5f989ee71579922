package io.mailwatchdog.config;

import java.util.Objects;

/**
 * One webhook that alerts are sent to.
 *
 * @param name   unique among the webhooks; "webhook-&lt;index&gt;" when not set (index from 0, as in
 *               {@code alerts.webhooks[0]})
 * @param url    an absolute http or https URL; a secret, since webhook URLs embed a token
 * @param format the body the receiver expects
 */
public record WebhookSettings(String name, Secret url, Format format) {
    public enum Format { GENERIC, SLACK, ALERTMANAGER }

    public WebhookSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(format, "format");
    }
}
