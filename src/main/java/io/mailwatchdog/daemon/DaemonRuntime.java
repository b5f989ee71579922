package io.mailwatchdog.daemon;

import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.HttpSettings;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.HttpEndpoints;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.OwnerId;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: the config, the scheduler with its jobs, the HTTP endpoints and the alerts, put
 * together once, and taken apart in order on stop. A reload swaps the scheduler for one built from the
 * new config (running jobs finish first), keeps the board, metrics and alert state, and forgets the
 * targets that are gone. The HTTP server is rebound only when its own settings changed.
 */
public final class DaemonRuntime implements AutoCloseable {

    /** Where a report goes besides the board: the alerts. */
    public interface Alerts {
        void observe(TargetReport report);

        void forget(String target);

        void close(Duration grace);

        Alerts NONE = new Alerts() {
            @Override
            public void observe(TargetReport report) {
            }

            @Override
            public void forget(String target) {
            }

            @Override
            public void close(Duration grace) {
            }
        };
    }

    private static final Logger LOG = LoggerFactory.getLogger(DaemonRuntime.class);

    private final Clock clock;
    private final Function<TargetSettings, OdooSession> sessionFactory;
    private final Function<Settings, Alerts> alertsFactory;
    private final Pause pause;
    private final WatchdogMetrics metrics;
    private final StatusBoard board;
    /** Read by the HTTP threads without the monitor: a reload holds it while it waits for jobs. */
    private volatile Settings settings;
    /** Kept across reloads: a target whose settings did not change keeps its logged-in session. */
    private final TargetSessions sessions;
    /** Kept across reloads: an action of the old config still running holds its target's lane. */
    private final Map<String, java.util.concurrent.locks.ReentrantLock> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Daemon daemon;
    private volatile WatchdogScheduler scheduler;
    private volatile HttpEndpoints http;
    private Alerts alerts = Alerts.NONE;
    private volatile boolean stopped;
    /** While a reload swaps the scheduler, the process is still healthy: /healthz must not fail the pod. */
    private volatile boolean reloading;

    public DaemonRuntime(Settings settings, Clock clock, Function<TargetSettings, OdooSession> sessionFactory,
                         Function<Settings, Alerts> alertsFactory, WatchdogMetrics metrics, Pause pause) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.sessionFactory = sessionFactory;
        this.alertsFactory = alertsFactory;
        this.metrics = metrics;
        this.board = new StatusBoard(metrics);
        this.pause = pause;
        this.sessions = new TargetSessions(sessionFactory);
    }

    /** Binds the HTTP endpoints, then starts the jobs; /readyz answers 200 once both are up. */
    public synchronized DaemonRuntime start() throws IOException, SchedulerException {
        http = endpoints(settings.http()).start();
        startJobs(settings);
        return this;
    }

    private void startJobs(Settings s) throws IOException, SchedulerException {
        StateFiles state = new StateFiles(s.stateDir());
        String owner = OwnerId.of(s.stateDir(), "daemon");
        Probe probe = new Probe(clock, new LoginParking(state), new SmtpTestMemory(state), Probe.SmtpMode.REMEMBERED,
                sessions::session);
        if (alerts == Alerts.NONE) {
            alerts = alertsFactory.apply(s);
        }
        Alerts sink = alerts;
        daemon = new Daemon(s.stateDir(), probe, sessions, board, sink::observe, owner, clock, pause, lanes,
                text -> new Redactor(settings).apply(text));
        scheduler = new WatchdogScheduler(s.targets(), probe::probe, daemon, board, clock);
        scheduler.keepHistoryIn(s.stateDir());
        scheduler.start();
        LOG.info("daemon started as lock owner {}: {} target(s), state in {}", owner, s.targets().size(), s.stateDir());
    }

    private HttpEndpoints endpoints(HttpSettings h) throws IOException {
        // masks the secrets of whichever config is current when a body is sent
        return new HttpEndpoints(board, metrics, h.bind(), h.port(), h.token().orElse(null),
                () -> !stopped && (reloading || scheduler != null && scheduler.isAlive()), text -> new Redactor(settings).apply(text),
                clock);
    }

    /**
     * Applies a new config: lets running jobs finish (bounded by shutdown-grace), starts the new jobs.
     * Alerts and sessions of targets that stay are kept unless their settings changed.
     */
    public synchronized void reload(Settings next) throws IOException, SchedulerException {
        if (stopped) {
            return; // a change seen while stopping: nothing starts again
        }
        Settings previous = settings;
        reloading = true;
        try {
            swap(previous, next);
        } catch (IOException | SchedulerException | RuntimeException e) {
            // the new config could not be started (e.g. its HTTP port is taken): back to the last good one
            LOG.error("cannot start with the new config ({}); going on with the previous one", e.toString());
            settings = previous;
            if (scheduler == null || !scheduler.isAlive()) {
                startJobs(previous);
            }
            throw e;
        } finally {
            reloading = false;
        }
    }

    private void swap(Settings previous, Settings next) throws IOException, SchedulerException {
        daemon.stopWriting();
        scheduler.shutdown(previous.shutdownGrace());
        Set<String> gone = new HashSet<>();
        previous.targets().forEach(t -> gone.add(t.name()));
        next.targets().forEach(t -> gone.remove(t.name()));
        gone.forEach(board::forget);
        gone.forEach(sessions::forget);
        // the alert state (what was already sent) survives a reload unless the alerts or the secrets
        // that its texts are masked with changed
        if (!previous.alerts().equals(next.alerts()) || !secrets(previous).equals(secrets(next))) {
            alerts.close(Duration.ofSeconds(2));
            alerts = Alerts.NONE;
        } else {
            gone.forEach(alerts::forget);
        }
        if (!previous.http().equals(next.http())) {
            http.stop(Duration.ofSeconds(1));
            try {
                http = endpoints(next.http()).start();
            } catch (IOException e) {
                http = endpoints(previous.http()).start(); // the old port again, so /healthz keeps answering
                throw e;
            }
        }
        settings = next;
        startJobs(next);
        LOG.info("config reloaded from {}: {} target(s){}", next.source(), next.targets().size(),
                gone.isEmpty() ? "" : ", removed " + gone);
    }

    private static Set<Object> secrets(Settings s) {
        Set<Object> out = new HashSet<>();
        s.targets().forEach(t -> out.add(t.secret()));
        return out;
    }

    /** SIGTERM: stop scheduling, let running jobs finish (bounded), deliver queued alerts, stop HTTP. */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        if (daemon != null) {
            daemon.stopWriting();
        }
        boolean finished = scheduler == null || scheduler.shutdown(grace);
        if (!finished) {
            LOG.error("an action was still running after the shutdown grace; if it held a mail cron for a flush, the"
                    + " hold stays recorded in Odoo and the next run of the watchdog restores it (check shows it as held)");
        }
        alerts.close(Duration.ofSeconds(5));
        if (http != null) {
            http.stop(Duration.ofSeconds(1));
        }
        LOG.info("daemon stopped{}", finished ? "" : " (some jobs were still running after the grace)");
        return finished;
    }

    @Override
    public void close() {
        stop(settings.shutdownGrace());
    }

    public StatusBoard board() {
        return board;
    }

    public int httpPort() {
        return http.port();
    }

    public Settings settings() {
        return settings;
    }

    public Daemon daemon() {
        return daemon;
    }
}
