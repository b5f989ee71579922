package io.mailwatchdog.history;

import java.time.Instant;

/** One probe of a report: when, the overall status, the queue shape (null when unread), and whether it is before the window. */
public record ProbePoint(Instant at, String status, QueueShape queue, boolean beforeWindow) {

    static ProbePoint of(HistoryEntry probe, Instant since) {
        return new ProbePoint(probe.at(), probe.status(), probe.queue(), probe.at().isBefore(since));
    }
}
