package io.mailwatchdog.probe;

import java.time.Instant;

/**
 * The mail scheduler cron. {@code found} false when its XML id resolves to nothing. Fields a version
 * lacks are null. {@code overdueSeconds} is how long nextcall is past (0 when it is in the future).
 * {@code hold} is set while a watchdog holds the cron inactive for a flush (from the lock row);
 * {@code runningSince} is the start of a run that has not completed (18.0+ only, from ir.cron.progress).
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
        long overdueSeconds,
        Hold hold,
        Instant runningSince) {

    /** The cron held inactive by a watchdog; {@code stale} when the holder's lease expired. */
    public record Hold(String owner, Instant since, boolean priorActive, int ids, boolean stale) {
    }

    public SchedulerSnapshot(boolean found, Integer id, String name, boolean active, Instant nextcall, Instant lastcall,
                             String interval, long intervalSeconds, Integer numbercall, Integer failureCount,
                             Instant firstFailureDate, long overdueSeconds) {
        this(found, id, name, active, nextcall, lastcall, interval, intervalSeconds, numbercall, failureCount,
                firstFailureDate, overdueSeconds, null, null);
    }

    public SchedulerSnapshot withHold(Hold newHold) {
        return new SchedulerSnapshot(found, id, name, active, nextcall, lastcall, interval, intervalSeconds, numbercall,
                failureCount, firstFailureDate, overdueSeconds, newHold, runningSince);
    }

    public SchedulerSnapshot withRunningSince(Instant since) {
        return new SchedulerSnapshot(found, id, name, active, nextcall, lastcall, interval, intervalSeconds, numbercall,
                failureCount, firstFailureDate, overdueSeconds, hold, since);
    }

    /** "active", "inactive", or for a cron held for a flush "held by the watchdog since …" (never "inactive"). */
    public String activity() {
        if (active) {
            return "active";
        }
        if (hold != null) {
            return "held by the watchdog since " + hold.since() + (hold.stale() ? " (lease expired)" : "");
        }
        return "inactive";
    }

    public static SchedulerSnapshot missing() {
        return new SchedulerSnapshot(false, null, null, false, null, null, null, 0, null, null, null, 0);
    }
}
