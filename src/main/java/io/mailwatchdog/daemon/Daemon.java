package io.mailwatchdog.daemon;

import io.mailwatchdog.act.ActionResult;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.act.RetryRun;
import io.mailwatchdog.act.StaleCleanup;
import io.mailwatchdog.act.StaleSummary;
import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.history.ProbeHistory;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.recovery.Plan;
import io.mailwatchdog.recovery.RecoveryPlanner;
import io.mailwatchdog.recovery.RetryRequest;
import io.mailwatchdog.odoo.OdooException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's reaction to each probe, and its jobs: plan (policy, pure), then execute through the
 * target's one write lane (never two writing jobs on one target at once, whatever job they come
 * from), reconciling the journal's open intents before any new action.
 */
public final class Daemon implements TargetTasks {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** How long an action job waits for the write lane before it leaves the work to the next tick. */
    static final Duration LANE_WAIT = Duration.ofSeconds(1);

    private final Path stateDir;
    private final Probe probe;
    private final TargetSessions sessions;
    private final StatusBoard board;
    private final Consumer<TargetReport> alerts;
    private final String owner;
    private final Clock clock;
    private final Pause pause;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final RetryWatch retries;
    /** When each target's stale cleanup last ran: it runs at most every STALE_EVERY (stale rows age slowly). */
    private final Map<String, Instant> lastCleanup = new ConcurrentHashMap<>();
    static final Duration STALE_EVERY = Duration.ofMinutes(15);
    private final Map<String, String> lastPlanText = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> lanes;
    private final Map<String, Journal> journals = new ConcurrentHashMap<>();
    private final java.util.function.UnaryOperator<String> redact;
    /** Set when the daemon stops or reloads: a running flush ends after its current batch. */
    private volatile boolean stopping;

    /**
     * @param lanes the write lanes by target, shared by every Daemon of the process (a reload makes a
     *              new Daemon while an action of the old one may still run)
     */
    Daemon(Path stateDir, Probe probe, TargetSessions sessions, StatusBoard board, Consumer<TargetReport> alerts,
           String owner, Clock clock, Pause pause, Map<String, ReentrantLock> lanes,
           java.util.function.UnaryOperator<String> redact) {
        this.lanes = lanes;
        this.redact = redact;
        this.stateDir = stateDir;
        this.probe = probe;
        this.sessions = sessions;
        this.board = board;
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.owner = owner;
        this.clock = clock;
        this.pause = pause;
        this.retries = new RetryWatch(clock);
    }

    /** Batches of one automatic retry run: the rest waits for the next tick (the write lane is shared). */
    static final int RETRY_BATCHES_PER_RUN = 10;
    /** Exceptions the daemon reads for one retry plan (the command line reads up to RetryRun.MAX_CANDIDATES). */
    static final int DAEMON_RETRY_CANDIDATES = 20_000;

    @Override
    public TargetReport annotate(TargetSettings target, TargetReport report) {
        try {
            return retries.annotate(target, report, retries.history(journal(target.name())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read the retry history: {}", target.name(), e.toString());
            return report;
        }
    }

    @Override
    public boolean reported(TargetSettings target, Snapshot snapshot, TargetReport report) {
        try {
            alerts.accept(report);
        } catch (RuntimeException e) {
            LOG.warn("alerting on {} failed: {}", target.name(), e.toString());
        }
        Plan plan = RecoveryPlanner.plan(snapshot, target, owner);
        plans.put(target.name(), plan);
        snapshots.put(target.name(), snapshot);
        // logged when what would be done changes, not every tick (the counts in the reasons move)
        String key = plan.act() + " " + plan.actions().stream().map(a -> a.kind().name()).toList() + " "
                + plan.leftAlone().size();
        String text = describe(plan);
        if (!key.equals(lastPlanText.put(target.name(), key)) && !text.isEmpty()) {
            LOG.info("{}: {}", target.name(), text);
        }
        return plan.writes() || retryWanted(target, snapshot) || cleanupDue(target, snapshot);
    }

    /** The daemon's stale cleanup: enabled, mode act, a database that takes writes, and its time has come. */
    private boolean cleanupDue(TargetSettings target, Snapshot s) {
        if (target.mode() != io.mailwatchdog.config.Mode.ACT || !target.stale().enabled() || s == null || !s.reached()) {
            return false;
        }
        if (s.database() != null && (s.database().neutralized() || !s.database().modulesPending().isEmpty())) {
            return false;
        }
        Instant last = lastCleanup.get(target.name());
        return last == null || !clock.instant().isBefore(last.plus(STALE_EVERY));
    }

    private boolean retryWanted(TargetSettings target, Snapshot snapshot) {
        try {
            return retries.wanted(target, snapshot, retries.history(journal(target.name())));
        } catch (IOException e) {
            LOG.warn("{}: cannot read the retry history: {}", target.name(), e.toString());
            return false;
        }
    }

    @Override
    public void act(TargetSettings target) throws Exception {
        Plan plan = plans.get(target.name());
        Snapshot snapshot = snapshots.get(target.name());
        boolean writes = plan != null && plan.writes();
        if (!writes && !retryWanted(target, snapshot) && !cleanupDue(target, snapshot)) {
            return;
        }
        ReentrantLock lane = lanes.computeIfAbsent(target.name(), n -> new ReentrantLock());
        if (!lane.tryLock(LANE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.info("{}: another job writes to this target; the action waits for the next tick", target.name());
            return;
        }
        try {
            if (stopping) {
                return;
            }
            TargetWriter writer = new TargetWriter(target, sessions.session(target), journal(target.name()), owner,
                    clock, pause, redact, () -> stopping, target.lock().quietWindow());
            TargetWriter.Reconciliation reconciliation = writer.reconcile();
            publish(target.name(), reconciliation.results());
            if (!reconciliation.complete()) {
                return;
            }
            boolean holdKept = false;
            if (writes) {
                List<ActionResult> results = writer.execute(plan);
                publish(target.name(), results);
                // a flush whose mails still change keeps the cron held: nothing else until they settle
                holdKept = results.stream().anyMatch(r -> "lock".equals(r.action()) && !"released".equals(r.outcome()));
            }
            if (!stopping && !holdKept && retryWanted(target, snapshot) && !heldByAnother(snapshot)) {
                retry(target, writer, snapshot);
            }
            if (!stopping && !holdKept && cleanupDue(target, snapshot) && !heldByAnother(snapshot)) {
                cleanup(target, writer);
            }
            if (!holdKept) {
                io.mailwatchdog.act.JournalUpkeep.run(journal(target.name()), target, clock);
            }
        } finally {
            lane.unlock();
        }
    }

    /** The automatic retry: the daemon's share of batches now, never waiting for the pace (the next tick does). */
    private void retry(TargetSettings target, TargetWriter writer, Snapshot snapshot) throws IOException, OdooException {
        RetryRun.Summary s = new RetryRun(target, writer, sessions.session(target), journal(target.name()), clock, pause, redact)
                .withCandidateLimit(DAEMON_RETRY_CANDIDATES)
                .run(RetryRequest.daemon(), snapshot.servers(), true, RETRY_BATCHES_PER_RUN, Duration.ZERO);
        publish(target.name(), s.results());
        retryEvents(target, s);
        if (s.batches().isEmpty() && s.stop() == RetryRun.Stop.NOTHING_LEFT) {
            retries.foundNothing(target, snapshot);
        } else {
            retries.foundWork(target);
        }
        if (!s.batches().isEmpty() || s.stop() == RetryRun.Stop.REFUSED || s.stop() == RetryRun.Stop.CIRCUIT_OPEN) {
            LOG.info("{}: retry: {} requeued, {} delivered; {}: {}", target.name(), s.requeued(), s.delivered(),
                    s.stop().name().toLowerCase(java.util.Locale.ROOT), redact.apply(String.valueOf(s.stopDetail())));
        }
    }

    /** The stale policy, a bounded share per run; a run that hit its batch limit goes on at the next tick. */
    private void cleanup(TargetSettings target, TargetWriter writer) throws IOException, OdooException {
        StaleSummary s = new StaleCleanup(target, writer, sessions.session(target), Archive.of(stateDir, target.name(), clock),
                clock, redact).run(true, target.stale().maxBatchesPerRun());
        publish(target.name(), s.results());
        boolean more = s.stop() == StaleSummary.Stop.BATCH_LIMIT;
        if (more) {
            lastCleanup.remove(target.name());
        } else {
            lastCleanup.put(target.name(), clock.instant());
        }
        if (s.written() > 0 || s.left() > 0 || s.stop() == StaleSummary.Stop.FAILED) {
            LOG.info("{}: cleanup: {} written, {} left; {}{}", target.name(), s.written(), s.left(),
                    s.stop().name().toLowerCase(java.util.Locale.ROOT),
                    s.stopDetail() == null ? "" : ": " + redact.apply(s.stopDetail()));
        }
    }

    /** The retry's turning points, in the probe history (for `report`): circuit opened or closed, quota spent. */
    private void retryEvents(TargetSettings target, RetryRun.Summary s) {
        String kind = null;
        String text = null;
        if (s.stop() == RetryRun.Stop.CIRCUIT_OPEN && !s.batches().isEmpty()) {
            kind = "circuit opened";
            text = s.stopDetail();
        } else if (s.firstPlan().why().startsWith("half-open") && !s.batches().isEmpty()
                && s.batches().get(0).delivered() == s.batches().get(0).requeued().size()) {
            kind = "circuit closed";
            text = "the half-open canary passed: " + s.batches().get(0).delivered() + " mail(s) delivered";
        } else if (s.stop() == RetryRun.Stop.WAITING && s.stopDetail() != null && s.stopDetail().contains("daily-quota")) {
            kind = "retry paused";
            text = s.stopDetail();
        }
        if (kind == null) {
            return;
        }
        try {
            ProbeHistory.open(stateDir, target.name(), clock, redact).event(kind, redact.apply(text),
                    Map.of("requeued", s.requeued(), "delivered", s.delivered()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot write the retry event to the history: {}", target.name(), e.toString());
        }
    }

    /** Another watchdog's live hold of the cron, as the probe read it from the lock row. */
    private boolean heldByAnother(Snapshot s) {
        io.mailwatchdog.probe.SchedulerSnapshot.Hold h = s == null || s.scheduler() == null ? null : s.scheduler().hold();
        return h != null && !h.stale() && !h.owner().equals(owner);
    }


    @Override
    public void testSmtp(TargetSettings target) throws Exception {
        probe.testSmtpNow(target, clock.instant().plus(target.timeouts().smtpTest()).plusSeconds(10));
    }

    /** No new action starts, and a running flush ends after its current batch (stop, reload). */
    void stopWriting() {
        stopping = true;
    }

    /** The last plan of a target, for /status and tests. */
    public Plan plan(String target) {
        return plans.get(target);
    }

    private Journal journal(String target) throws IOException {
        Journal j = journals.get(target);
        if (j == null) {
            j = Journal.open(stateDir, target, clock);
            journals.put(target, j);
        }
        return j;
    }

    private void publish(String target, List<ActionResult> results) {
        for (ActionResult r : results) {
            board.action(target, r.action(), r.outcome());
            board.recordAction(target, r.action(), r.outcome(), clock.instant(), r.detail() == null ? null : redact.apply(r.detail()));
            LOG.info("{}: {} {}{}", target, r.action(), r.outcome(), r.detail() == null ? "" : ": " + redact.apply(r.detail()));
        }
    }

    private static String describe(Plan plan) {
        StringBuilder b = new StringBuilder();
        if (!plan.actions().isEmpty()) {
            b.append(plan.act() ? "plans " : "would ").append(plan.actions().stream()
                    .map(a -> a.kind().name().toLowerCase(java.util.Locale.ROOT) + " (" + a.reason() + ")").toList());
        }
        if (!plan.leftAlone().isEmpty()) {
            b.append(b.length() == 0 ? "" : "; ").append("leaves alone ").append(plan.leftAlone());
        }
        return b.toString();
    }
}
