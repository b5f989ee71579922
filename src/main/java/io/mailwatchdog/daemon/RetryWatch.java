package io.mailwatchdog.daemon;

import io.mailwatchdog.config.Mode;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.recovery.RetryHistory;
import io.mailwatchdog.recovery.RetryPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's view of its automatic retry per target: whether a retry run is worth starting now
 * (enabled, exceptions waiting, circuit not cooling down, pace allows, and not known to find nothing),
 * and what the report says of it: check {@code retry.circuit} (FAIL while open, so it is alerted) and
 * "recovering" beside the status until the target is back to PASS.
 */
final class RetryWatch {

    /** A run that found nothing eligible is not repeated for this long while the exception count stays the same. */
    static final Duration NOTHING_ELIGIBLE_PAUSE = Duration.ofMinutes(30);

    private record Cached(long size, RetryHistory history) {
    }

    private record Idle(int exceptions, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Cached> histories = new ConcurrentHashMap<>();
    private final Map<String, Idle> idle = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPass = new ConcurrentHashMap<>();
    /** The queue when the recovery began: exceptions and due mails, to show the trend. */
    private final Map<String, int[]> recoveryStart = new ConcurrentHashMap<>();
    /** The queue of the previous report: where a recovery starts from when its first batch ran since. */
    private final Map<String, int[]> previousQueue = new ConcurrentHashMap<>();

    RetryWatch(Clock clock) {
        this.clock = clock;
    }

    /** The journal's retry history, re-read only when the journal file changed. */
    RetryHistory history(Journal journal) throws IOException {
        long size = Files.exists(journal.path()) ? Files.size(journal.path()) : 0;
        Cached c = histories.get(journal.target());
        if (c == null || c.size() != size) {
            c = new Cached(size, size == 0 ? RetryHistory.empty()
                    : RetryHistory.of(journal, clock.instant()));
            histories.put(journal.target(), c);
        }
        return c.history();
    }

    TargetReport annotate(TargetSettings t, TargetReport report, RetryHistory h) {
        int[] before = queue(report.snapshot()) == null ? null : previousQueue.put(t.name(), queue(report.snapshot()));
        if (!t.retry().enabled() && h.lastSendAt() == null) {
            return report;
        }
        Finding circuit;
        if (h.circuitOpenAt() != null) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("openSince", h.circuitOpenAt().toString());
            evidence.put("reason", h.circuitReason());
            evidence.put("canaryAt", h.circuitOpenAt().plus(t.retry().coolDown()).toString());
            circuit = new Finding(CheckIds.RETRY_CIRCUIT, Status.FAIL, "retry stopped: the circuit is open since "
                    + h.circuitOpenAt() + " (" + h.circuitReason() + ")", evidence,
                    "find why retried mail fails again (journal --action retry.send); one canary tries again after"
                            + " retry.cool-down, or run `retry --target " + t.name() + "` to see the plan");
        } else {
            circuit = new Finding(CheckIds.RETRY_CIRCUIT, Status.PASS, "the retry's circuit is closed", Map.of(), null);
        }
        TargetReport withCircuit = report.with(circuit, null);
        if (withCircuit.status() == Status.PASS) {
            lastPass.put(t.name(), report.snapshot().takenAt());
            recoveryStart.remove(t.name());
            return withCircuit;
        }
        Instant pass = lastPass.get(t.name());
        if (h.lastRequeueAt() != null && (pass == null || h.lastRequeueAt().isAfter(pass))) {
            int[] now = queue(report.snapshot());
            int[] start = recoveryStart.computeIfAbsent(t.name(), k -> before != null ? before : now);
            String trend = now == null || start == null ? "" : "exceptions " + start[0] + " → " + now[0]
                    + ", due " + start[1] + " → " + now[1] + "; ";
            return report.with(circuit, "recovering: " + trend + "the retry's last batch at " + h.lastRequeueAt());
        }
        return withCircuit;
    }

    private static int[] queue(Snapshot s) {
        return s.queue() == null ? null : new int[] {s.queue().counts().get("exception"), s.queue().due()};
    }

    /** Whether the action job should run the retry now. Cheap: no call to Odoo. */
    boolean wanted(TargetSettings t, Snapshot s, RetryHistory h) {
        if (t.mode() != Mode.ACT || !t.retry().enabled() || s == null || !s.reached() || s.queue() == null) {
            return false;
        }
        if (s.database() != null && (s.database().neutralized() || !s.database().modulesPending().isEmpty())) {
            return false;
        }
        int exceptions = s.queue().counts().get("exception");
        if (exceptions == 0) {
            return false;
        }
        if (s.servers().stream().anyMatch(v -> v.test() != null && "FAIL".equals(v.test().outcome()))) {
            return false; // the gate is closed: nothing could be sent
        }
        Instant now = clock.instant();
        if (h.circuitOpenAt() != null && now.isBefore(h.circuitOpenAt().plus(t.retry().coolDown()))) {
            return false;
        }
        if (t.retry().dailyQuota() > 0 && h.usedToday() >= t.retry().dailyQuota()) {
            return false; // resumes after 00:00 UTC
        }
        if (t.retry().ratePerMinute() > 0 && h.lastRequeueAt() != null && now.isBefore(RetryPlanner.paceUntil(t.retry(), h))) {
            return false;
        }
        Idle i = idle.get(t.name());
        return i == null || i.exceptions() != exceptions || now.isAfter(i.at().plus(NOTHING_ELIGIBLE_PAUSE));
    }

    /** A run found nothing to do at this exception count: do not read the candidates again soon. */
    void foundNothing(TargetSettings t, Snapshot s) {
        idle.put(t.name(), new Idle(s.queue().counts().get("exception"), clock.instant()));
    }

    void foundWork(TargetSettings t) {
        idle.remove(t.name());
    }
}
