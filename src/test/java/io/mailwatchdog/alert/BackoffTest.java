package io.mailwatchdog.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void theWaitDoublesFromTheFirstBackoffUpToFiveMinutes() {
        Duration first = Duration.ofSeconds(2);
        assertThat(Backoff.after(first, 1, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Backoff.after(first, 2, null)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.after(first, 5, null)).isEqualTo(Duration.ofSeconds(32));
        assertThat(Backoff.after(first, 8, null)).isEqualTo(Duration.ofMinutes(4).plusSeconds(16));
        assertThat(Backoff.after(first, 9, null)).isEqualTo(AlertSettings.MAX_BACKOFF);
        assertThat(Backoff.after(first, 1000, null)).isEqualTo(AlertSettings.MAX_BACKOFF);
    }

    @Test
    void aRetryAfterLengthensTheWaitButNeverShortensItNorPassesTheCap() {
        Duration first = Duration.ofSeconds(2);
        assertThat(Backoff.after(first, 1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.after(first, 3, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
        assertThat(Backoff.after(first, 1, Duration.ofHours(2))).isEqualTo(AlertSettings.MAX_BACKOFF);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(Backoff.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(Backoff.retryAfter(" 7 ", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(Backoff.retryAfter("86400", NOW)).isEqualTo(AlertSettings.MAX_BACKOFF);
        assertThat(Backoff.retryAfter("Mon, 23 Nov 2026 12:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
        assertThat(Backoff.retryAfter("Mon, 23 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(Backoff.retryAfter("soon", NOW)).isNull();
        assertThat(Backoff.retryAfter("-5", NOW)).isNull();
        assertThat(Backoff.retryAfter(null, NOW)).isNull();
    }
}
