package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.Evaluator;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.probe.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live objects that the stateless {@link ProbeJob} reaches through the scheduler context: the
 * targets by name, the prober, the status board, the clock, and the last cause logged per target.
 */
final class ProbeContext {

    /** The key of this object in the Quartz {@link org.quartz.SchedulerContext}. */
    static final String KEY = ProbeContext.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);

    private final Map<String, TargetSettings> targets;
    private final Prober prober;
    private final StatusBoard board;
    private final Clock clock;
    private final Duration probeTimeout;
    /** The cause last logged per target, so that a cause that repeats every tick is logged once. */
    private final Map<String, String> lastLoggedCause = new ConcurrentHashMap<>();

    ProbeContext(Map<String, TargetSettings> targets, Prober prober, StatusBoard board, Clock clock,
                 Duration probeTimeout) {
        this.targets = Map.copyOf(targets);
        this.prober = Objects.requireNonNull(prober, "prober");
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
    }

    /**
     * One tick of one target: probe, evaluate, publish. Never throws: an exception is counted as an
     * {@code internal} probe error and logged once per distinct cause; the next tick retries. A probe
     * that could not reach Odoo is a status, published like any other, and counted by its kind.
     */
    void probeOnce(String target) {
        try {
            TargetSettings settings = targets.get(target);
            if (settings == null) {
                throw new IllegalStateException("no target named " + target);
            }
            Instant started = clock.instant();
            Snapshot snapshot = prober.probe(settings, started.plus(probeTimeout));
            if (snapshot == null) {
                throw new IllegalStateException("the probe returned no snapshot");
            }
            TargetReport report = Evaluator.evaluate(snapshot, settings.thresholds());
            Duration took = snapshot.duration() != null ? snapshot.duration() : Duration.between(started, clock.instant());
            board.publish(report, took);
            if (snapshot.failure() != null) {
                board.probeError(target, snapshot.failure().kind());
            }
            if (lastLoggedCause.remove(target) != null) {
                LOG.info("probe job of {} works again", target);
            }
        } catch (Exception | LinkageError | AssertionError e) {
            failed(target, e);
        }
    }

    private void failed(String target, Throwable e) {
        try {
            board.probeError(target, "internal");
        } catch (RuntimeException ignored) {
            // the count is best effort; the log below still says what happened
        }
        String cause = e.getClass().getName() + ": " + e.getMessage();
        String previous = lastLoggedCause.put(target, cause);
        if (!cause.equals(previous)) {
            LOG.warn("probe job of {} failed: {}; counted as an internal probe error, retried at the next tick,"
                    + " and not logged again while the cause stays the same", target, cause);
            LOG.debug("the failure's stack", e);
        }
    }
}
