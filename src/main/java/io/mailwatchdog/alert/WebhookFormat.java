package io.mailwatchdog.alert;

/** The body a webhook receives. */
public enum WebhookFormat {
    /** One JSON object per alert, for scripts and generic receivers. */
    GENERIC,
    /** {@code {"text": …}}: Slack incoming webhooks, and the Slack-compatible ones of Mattermost and Rocket.Chat. */
    SLACK,
    /** A JSON array of alerts for Prometheus Alertmanager's {@code POST /api/v2/alerts}. */
    ALERTMANAGER
}
