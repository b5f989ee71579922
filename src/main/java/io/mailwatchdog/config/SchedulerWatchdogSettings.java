package io.mailwatchdog.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Reviving the mail scheduler cron ({@code mail.ir_cron_mail_scheduler_action}).
 *
 * @param enabled      whether the daemon revives it (only in {@link Mode#ACT})
 * @param overdueGrace how long an active cron may be past its nextcall before it is revived
 * @param stuckAfter   how long one run of the cron may last before it counts as stuck
 */
public record SchedulerWatchdogSettings(boolean enabled, Duration overdueGrace, Duration stuckAfter) {
    public SchedulerWatchdogSettings {
        Objects.requireNonNull(overdueGrace, "overdueGrace");
        Objects.requireNonNull(stuckAfter, "stuckAfter");
    }
}
