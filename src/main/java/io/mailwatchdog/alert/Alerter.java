package io.mailwatchdog.alert;

import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.WatchdogMetrics;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook notifications on status transitions, per target and check. The daemon calls
 * {@link #observe} after each probe of a target; it decides, in memory, what is news (see
 * {@link TransitionTracker}) and queues it for each webhook, then returns: HTTP, retries and backoff
 * happen on the alerter's own daemon threads and never hold up a probe. Alerts never go through
 * Odoo's mail, which may be the very thing that is down.
 *
 * <pre>{@code
 * Alerter alerter = new Alerter(alertSettings, metrics, redactor::apply, Clock.systemUTC());
 * // after each probe:      alerter.observe(report);
 * // a target left on reload: alerter.forget(name);
 * // on shutdown:           alerter.close(Duration.ofSeconds(5));
 * }</pre>
 */
public final class Alerter {

    private static final Logger LOG = LoggerFactory.getLogger(Alerter.class);

    private final TransitionTracker tracker;
    private final List<DeliveryLane> lanes;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService http;
    private volatile boolean closed;

    /**
     * @param metrics may be null: nothing is counted (but everything is still logged)
     * @param redact  applied to every text of an alert (a hostile server may echo a password into a finding); may be null
     */
    public Alerter(AlertSettings settings, WatchdogMetrics metrics, UnaryOperator<String> redact, Clock clock) {
        this(settings, metrics, redact, clock, hostName());
    }

    Alerter(AlertSettings settings, WatchdogMetrics metrics, UnaryOperator<String> redact, Clock clock, String watchdog) {
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tracker = new TransitionTracker(settings.renotifyInterval(), redact == null ? UnaryOperator.identity() : redact);
        this.timers = new ScheduledThreadPoolExecutor(2, daemonThreads("alert-dispatch"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.http = Executors.newCachedThreadPool(daemonThreads("alert-http"));
        HttpClient.Builder client = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(http);
        // the JVM's proxy settings (-Dhttps.proxyHost...), as for Odoo
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            client.proxy(proxies);
        }
        WebhookSender sender = new WebhookSender(client.build(), settings.requestTimeout(), clock);
        WebhookBodies bodies = new WebhookBodies(watchdog);
        this.lanes = settings.webhooks().stream()
                .map(w -> new DeliveryLane(w, settings, bodies, sender, timers, metrics))
                .toList();
    }

    /** Takes a target's latest report; queues the alerts it calls for and returns without waiting on any webhook. */
    public void observe(TargetReport report) {
        Objects.requireNonNull(report, "report");
        if (lanes.isEmpty()) {
            return;
        }
        for (Alert alert : tracker.observe(report, clock.instant())) {
            for (DeliveryLane lane : lanes) {
                if (lane.wants(alert)) {
                    lane.offer(alert);
                }
            }
        }
    }

    /** A target removed from the config: its statuses are forgotten. Alerts about it already queued still go out. */
    public void forget(String target) {
        tracker.forget(target);
    }

    /**
     * Stops taking alerts, delivers what is queued within {@code grace} (retries included), then gives
     * up on the rest: each such alert is logged at ERROR and counted as dropped. Idempotent.
     */
    public void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        lanes.forEach(DeliveryLane::stopAccepting);
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        try {
            for (DeliveryLane lane : lanes) {
                if (!lane.awaitIdle(deadline)) {
                    LOG.warn("webhook {}: alerts still undelivered after the shutdown grace of {}; each is logged below",
                            lane.name(), grace);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lanes.forEach(DeliveryLane::abandon);
            timers.shutdownNow();
            http.shutdownNow();
        }
    }

    /** The host's name for the generic body: $HOSTNAME (a pod's name in Kubernetes), else the resolver's. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
