package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/** Network timeouts for one target; all positive. */
public record Timeouts(Duration connect, Duration reply, Duration smtpTest) {
    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(smtpTest, "smtpTest");
    }
}
