package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailwatchdog.health.CheckIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A backlog and how long it took to drain: from the first probe with a backlog to the first probe back at the
 * baseline or PASS ({@code to} null: not drained yet, {@code seconds} then runs to the last probe seen), with the
 * most due and the most exceptions seen meanwhile.
 *
 * <p>A probe has a backlog when {@code queue.oldest-outgoing} is WARN or FAIL, or it holds more exceptions than the
 * baseline. It is back when its overall status is PASS, or {@code queue.oldest-outgoing} passes with no more due
 * mail and no more exceptions than the baseline. A baseline that itself had a backlog cannot be the measure: then
 * exceptions count as a backlog while {@code queue.exceptions} is WARN or FAIL, and the queue is back when both
 * queue checks pass.
 */
public record Drain(Instant from, Instant to, long seconds, int peakDue, int peakExceptions, boolean beganBeforeWindow) {

    @JsonProperty("drained")
    public boolean drained() {
        return to != null;
    }

    /** @param probes the baseline probe first, then the window's probes, oldest first */
    static List<Drain> find(List<HistoryEntry> probes, Instant since) {
        List<HistoryEntry> read = probes.stream().filter(p -> p.queue() != null).toList();
        List<Drain> drains = new ArrayList<>();
        if (read.isEmpty()) {
            return drains;
        }
        HistoryEntry baseline = read.get(0);
        QueueShape ref = backedUp(baseline, null) ? null : baseline.queue();
        Instant from = null;
        int peakDue = 0;
        int peakExceptions = 0;
        Instant last = null;
        for (HistoryEntry p : read) {
            last = p.at();
            if (from == null) {
                if (backedUp(p, ref) && !back(p, ref)) {
                    from = p.at();
                    peakDue = p.queue().due();
                    peakExceptions = p.queue().count("exception");
                }
                continue;
            }
            if (back(p, ref)) {
                drains.add(new Drain(from, p.at(), Duration.between(from, p.at()).toSeconds(), peakDue, peakExceptions,
                        from.isBefore(since)));
                from = null;
            } else {
                peakDue = Math.max(peakDue, p.queue().due());
                peakExceptions = Math.max(peakExceptions, p.queue().count("exception"));
            }
        }
        if (from != null) {
            drains.add(new Drain(from, null, Duration.between(from, last).toSeconds(), peakDue, peakExceptions,
                    from.isBefore(since)));
        }
        return drains;
    }

    private static boolean backedUp(HistoryEntry p, QueueShape ref) {
        boolean exceptions = ref != null ? p.queue().count("exception") > ref.count("exception")
                : CheckSpell.bad(p.check(CheckIds.QUEUE_EXCEPTIONS));
        return CheckSpell.bad(p.check(CheckIds.QUEUE_OLDEST_OUTGOING)) || exceptions;
    }

    private static boolean back(HistoryEntry p, QueueShape ref) {
        if ("PASS".equals(p.status())) {
            return true;
        }
        if (CheckSpell.bad(p.check(CheckIds.QUEUE_OLDEST_OUTGOING))) {
            return false;
        }
        return ref != null
                ? p.queue().due() <= ref.due() && p.queue().count("exception") <= ref.count("exception")
                : !CheckSpell.bad(p.check(CheckIds.QUEUE_EXCEPTIONS));
    }
}
