package io.mailwatchdog.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailwatchdog.config.Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {

    static final Webhook SLACK = new Webhook("chat", Secret.fromEnv("SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T0/B0/xoxb-very-secret"), WebhookFormat.SLACK);

    @Test
    void theDefaultsAreThoseOfTheIssue() {
        AlertSettings s = AlertSettings.defaults(List.of(SLACK));
        assertThat(s.renotifyInterval()).isEqualTo(Duration.ofHours(4));
        assertThat(s.maxAttempts()).isEqualTo(6);
        assertThat(s.firstBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.queueCapacity()).isEqualTo(1000);
        assertThat(AlertSettings.MAX_BACKOFF).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void printingTheSettingsShowsWhereTheUrlComesFromNeverTheUrl() {
        String printed = AlertSettings.defaults(List.of(SLACK)).toString();
        assertThat(printed).doesNotContain("xoxb", "hooks.slack.com").contains("env SLACK_WEBHOOK_URL", "chat", "SLACK");
    }

    @Test
    void impossibleValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> AlertSettings.defaults(List.of(SLACK, SLACK))).hasMessageContaining("two webhooks are named chat");
        assertThatThrownBy(() -> new AlertSettings(List.of(), Duration.ZERO, 6, Duration.ofSeconds(2), Duration.ofSeconds(10), 10))
                .hasMessageContaining("renotifyInterval");
        assertThatThrownBy(() -> new AlertSettings(List.of(), Duration.ofHours(4), 0, Duration.ofSeconds(2), Duration.ofSeconds(10), 10))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new AlertSettings(List.of(), Duration.ofHours(4), 6, Duration.ofSeconds(2), Duration.ofSeconds(10), 0))
                .hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> new Webhook(" ", SLACK.url(), WebhookFormat.GENERIC)).hasMessageContaining("name");
    }
}
