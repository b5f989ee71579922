package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the daemon looks at a target; both positive.
 *
 * @param probeInterval    between two read-only probes
 * @param smtpTestInterval between two tests of the outgoing SMTP servers (each a real SMTP login)
 */
public record ScheduleSettings(Duration probeInterval, Duration smtpTestInterval) {
    public ScheduleSettings {
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(smtpTestInterval, "smtpTestInterval");
    }
}
