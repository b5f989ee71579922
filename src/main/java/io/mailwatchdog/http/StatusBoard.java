package io.mailwatchdog.http;

import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the HTTP endpoints show, shared between the daemon's jobs (writers) and the HTTP threads
 * (readers): the latest report of each target, the last actions, readiness, and the counters of
 * {@link WatchdogMetrics}. Thread-safe; readers get copies.
 *
 * <p>{@link #recordAction} keeps an action for {@code /status} and the page; {@link #action} bumps
 * {@code odoo_mail_watchdog_actions_total}. The daemon calls both for an action it took.
 */
public final class StatusBoard {

    /** One thing the watchdog did (or tried) on a target. {@code detail} may be null. */
    public record Action(String target, String action, String outcome, Instant at, String detail) {
        public Action {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(at, "at");
        }
    }

    public static final int DEFAULT_ACTION_LIMIT = 50;

    private final WatchdogMetrics metrics;
    private final int actionLimit;
    private final Map<String, TargetReport> reports = new LinkedHashMap<>();
    private final Deque<Action> actions = new ArrayDeque<>();
    private volatile boolean ready;

    public StatusBoard(WatchdogMetrics metrics) {
        this(metrics, DEFAULT_ACTION_LIMIT);
    }

    /** metrics may be null (then nothing is counted); actionLimit is how many last actions are kept. */
    public StatusBoard(WatchdogMetrics metrics, int actionLimit) {
        if (actionLimit < 1) {
            throw new IllegalArgumentException("actionLimit must be at least 1");
        }
        this.metrics = metrics;
        this.actionLimit = actionLimit;
    }

    /** The latest report of a target replaces its previous one; the metrics follow it. */
    public void publish(TargetReport report, Duration probeDuration) {
        Objects.requireNonNull(report, "report");
        synchronized (this) {
            reports.put(report.target(), report);
        }
        if (metrics != null) {
            metrics.update(report, probeDuration);
        }
    }

    /** A target removed from the config (on reload): its report and its series go. */
    public void forget(String target) {
        synchronized (this) {
            reports.remove(target);
            actions.removeIf(a -> a.target().equals(target));
        }
        if (metrics != null) {
            metrics.forget(target);
        }
    }

    /** The config is loaded and the scheduler has started: /readyz answers 200 from now on. */
    public void markReady() {
        ready = true;
    }

    public boolean isReady() {
        return ready;
    }

    /** A probe of target failed with this kind (ProbeFailure kinds, or "internal" for a probe job that threw). */
    public void probeError(String target, String kind) {
        if (metrics != null) {
            metrics.probeError(target, kind);
        }
    }

    /** Counts an action in odoo_mail_watchdog_actions_total{target,action,outcome}. */
    public void action(String target, String action, String outcome) {
        if (metrics != null) {
            metrics.action(target, action, outcome);
        }
    }

    /** Keeps an action for /status and the page, newest first, at most the limit. */
    public synchronized void recordAction(String target, String action, String outcome, Instant at, String detail) {
        actions.addFirst(new Action(target, action, outcome, at, detail));
        while (actions.size() > actionLimit) {
            actions.removeLast();
        }
    }

    /** The latest reports, in the order targets were first published. */
    public synchronized List<TargetReport> reports() {
        return List.copyOf(reports.values());
    }

    /** The last actions, newest first. */
    public synchronized List<Action> lastActions() {
        return new ArrayList<>(actions);
    }

    /** The worst status of all targets; UNKNOWN before any target was probed. */
    public Status overall() {
        List<TargetReport> all = reports();
        if (all.isEmpty()) {
            return Status.UNKNOWN;
        }
        return all.stream().map(TargetReport::status).reduce(Status.PASS, Status::worst);
    }
}
