package io.mailwatchdog.probe;

import java.time.Instant;

/**
 * The mail scheduler cron. {@code found} false when its XML id resolves to nothing. Fields a version
 * lacks are null. {@code overdueSeconds} is how long nextcall is past (0 when it is in the future).
 */
public record SchedulerSnapshot(
        boolean found,
        Integer id,
        String name,
        boolean active,
        Instant nextcall,
        Instant lastcall,
        String interval,
        long intervalSeconds,
        Integer numbercall,
        Integer failureCount,
        Instant firstFailureDate,
        long overdueSeconds) {

    public static SchedulerSnapshot missing() {
        return new SchedulerSnapshot(false, null, null, false, null, null, null, 0, null, null, null, 0);
    }
}
