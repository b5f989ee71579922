package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.Evaluator;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.history.HistoryKeeper;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.report.Redactor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live objects that the stateless jobs reach through the scheduler context: the targets by name,
 * the prober, the daemon's tasks, the status board, the clock, and the last cause logged per job.
 */
final class JobContext {

    /** The key of this object in the Quartz {@link org.quartz.SchedulerContext}. */
    static final String KEY = JobContext.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);

    private final Map<String, TargetSettings> targets;
    private final Prober prober;
    private final TargetTasks tasks;
    private final StatusBoard board;
    private final Clock clock;
    private final Duration probeTimeoutOverride;
    private final Consumer<String> triggerAction;
    /** The cause last logged per target and job kind, so that a cause that repeats every tick is logged once. */
    private final Map<String, String> lastLoggedCause = new ConcurrentHashMap<>();
    /** Each probe's line in state-dir/history and its state-dir/last file; none until {@link #keepHistoryIn}. */
    private volatile HistoryKeeper history;

    JobContext(Map<String, TargetSettings> targets, Prober prober, TargetTasks tasks, StatusBoard board, Clock clock,
               Duration probeTimeoutOverride, Consumer<String> triggerAction) {
        this.targets = Map.copyOf(targets);
        this.prober = Objects.requireNonNull(prober, "prober");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probeTimeoutOverride = probeTimeoutOverride;
        this.triggerAction = triggerAction;
    }

    /** From now on, every probe is kept in {@code stateDir}'s history (see {@link HistoryKeeper}). */
    void keepHistoryIn(Path stateDir) {
        history = new HistoryKeeper(stateDir, clock);
    }

    /** Each probe must end before the target's next tick: its deadline is the interval. */
    Duration probeTimeout(TargetSettings t) {
        return probeTimeoutOverride != null ? probeTimeoutOverride : t.schedule().probeInterval();
    }

    /**
     * One tick of one target: probe, evaluate, publish, then the daemon's reaction. Never throws: an
     * exception is counted as an {@code internal} probe error and logged once per distinct cause; the
     * next tick retries. A probe that could not reach Odoo is a status, published like any other.
     */
    void probeOnce(String target) {
        try {
            TargetSettings settings = settings(target);
            Instant started = clock.instant();
            Snapshot snapshot = prober.probe(settings, started.plus(probeTimeout(settings)));
            if (snapshot == null) {
                throw new IllegalStateException("the probe returned no snapshot");
            }
            TargetReport report = tasks.annotate(settings,
                    Evaluator.evaluate(snapshot, settings.thresholds(), settings.schedulerWatchdog().stuckAfter()));
            Duration took = snapshot.duration() != null ? snapshot.duration() : Duration.between(started, clock.instant());
            board.publish(report, took);
            HistoryKeeper keeper = history;
            if (keeper != null) { // never throws: a history that cannot be written does not fail the probe
                keeper.record(report, new Redactor(List.of(settings.secret()))::apply);
            }
            if (snapshot.failure() != null) {
                board.probeError(target, snapshot.failure().kind());
            }
            worked("probe", target);
            if (tasks.reported(settings, snapshot, report)) {
                triggerAction.accept(target);
            }
        } catch (Exception | LinkageError | AssertionError e) {
            failed("probe", target, e);
        }
    }

    void actOnce(String target) {
        try {
            tasks.act(settings(target));
            worked("action", target);
        } catch (Exception | LinkageError | AssertionError e) {
            failed("action", target, e);
        }
    }

    void testSmtpOnce(String target) {
        try {
            tasks.testSmtp(settings(target));
            worked("smtp-test", target);
        } catch (Exception | LinkageError | AssertionError e) {
            failed("smtp-test", target, e);
        }
    }

    private TargetSettings settings(String target) {
        TargetSettings settings = targets.get(target);
        if (settings == null) {
            throw new IllegalStateException("no target named " + target);
        }
        return settings;
    }

    private void worked(String job, String target) {
        if (lastLoggedCause.remove(job + "/" + target) != null) {
            LOG.info("{} job of {} works again", job, target);
        }
    }

    private void failed(String job, String target, Throwable e) {
        try {
            board.probeError(target, "probe".equals(job) ? "internal" : job);
        } catch (RuntimeException ignored) {
            // the count is best effort; the log below still says what happened
        }
        String cause = e.getClass().getName() + ": " + e.getMessage();
        String previous = lastLoggedCause.put(job + "/" + target, cause);
        if (!cause.equals(previous)) {
            LOG.warn("{} job of {} failed: {}; counted as {} error, retried at the next tick,"
                    + " and not logged again while the cause stays the same", job, target, cause,
                    "probe".equals(job) ? "an internal probe" : "a " + job);
            LOG.debug("the failure's stack", e);
        }
    }
}
