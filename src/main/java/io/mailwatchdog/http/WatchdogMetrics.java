package io.mailwatchdog.http;

import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.probe.AgeBucket;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus registry behind {@code /metrics}. Every series of a target carries a {@code target}
 * label; the alerts' series carry a {@code webhook} label instead (a webhook serves every target).
 *
 * <ul>
 *   <li>{@code odoo_up}: 1 when the last probe read the target, 0 when it could not (unreachable,
 *       timeout, refused login, deadline...). When it is 0, the target's queue, scheduler and SMTP
 *       series are removed rather than left at stale values.</li>
 *   <li>{@code odoo_mail_messages{state}}: mail.mail rows per state, every state present.</li>
 *   <li>{@code odoo_mail_oldest_outgoing_age_seconds}: age of the oldest due outgoing mail, 0 when none.</li>
 *   <li>{@code odoo_mail_outgoing_messages_by_age{age}}: due outgoing mail per qshape range, the label
 *       being the range's label.</li>
 *   <li>{@code odoo_mail_exceptions_sampled{class}}: exceptions in the probe's sample of latest
 *       exceptions, per failure class, every class present (0 when none).</li>
 *   <li>{@code odoo_mail_scheduler_active}: 1 active, 0 inactive or not found.
 *       {@code odoo_mail_scheduler_overdue_seconds}: how long nextcall is past, 0 when in the future.
 *       {@code odoo_mail_scheduler_failure_count}: failure_count, absent before Odoo 18.</li>
 *   <li>{@code odoo_mail_smtp_test_success{server}}: 1 when the server's connection test passed, 0
 *       when it failed; absent when there is no verdict (INCONCLUSIVE, NOT_TESTED).</li>
 *   <li>{@code odoo_mail_watchdog_actions_total{action,outcome}}, {@code odoo_mail_probe_errors_total{kind}}:
 *       counters bumped by the daemon.</li>
 *   <li>{@code odoo_mail_probe_duration_seconds}: how long the last probe of the target took (a gauge).</li>
 *   <li>{@code odoo_mail_watchdog_alerts_total{webhook,outcome}}: alerts by how they ended: delivered,
 *       failed (refused, or the last attempt failed) or dropped (a full queue, or the watchdog stopped first).
 *       {@code odoo_mail_watchdog_alert_attempts_total{webhook}}: HTTP requests sent, retries included.
 *       {@code odoo_mail_watchdog_alerts_queued{webhook}}: alerts waiting behind the one being delivered.</li>
 * </ul>
 * plus the JVM's own metrics ({@code jvm_*}, {@code process_*}).
 */
public final class WatchdogMetrics {

    private final PrometheusRegistry registry;
    private final Gauge up;
    private final Gauge messages;
    private final Gauge oldestAge;
    private final Gauge byAge;
    private final Gauge exceptionsSampled;
    private final Gauge schedulerActive;
    private final Gauge schedulerOverdue;
    private final Gauge schedulerFailures;
    private final Gauge smtpTestSuccess;
    private final Counter actions;
    private final Gauge probeDuration;
    private final Counter probeErrors;
    private final Counter alerts;
    private final Counter alertAttempts;
    private final Gauge alertsQueued;

    /** A registry of its own, with the JVM metrics. */
    public WatchdogMetrics() {
        this(new PrometheusRegistry(), true);
    }

    public WatchdogMetrics(PrometheusRegistry registry, boolean jvmMetrics) {
        this.registry = registry;
        up = gauge("odoo_up", "1 when the last probe read the target, 0 when it could not");
        messages = gauge("odoo_mail_messages", "mail.mail rows per state", "state");
        oldestAge = gauge("odoo_mail_oldest_outgoing_age_seconds", "age of the oldest due outgoing mail, 0 when none");
        byAge = gauge("odoo_mail_outgoing_messages_by_age", "due outgoing mail per age range (qshape)", "age");
        exceptionsSampled = gauge("odoo_mail_exceptions_sampled",
                "exceptions per failure class in the sample of latest exceptions", "class");
        schedulerActive = gauge("odoo_mail_scheduler_active", "1 when the mail scheduler cron is active");
        schedulerOverdue = gauge("odoo_mail_scheduler_overdue_seconds",
                "how long the mail scheduler's nextcall is past, 0 when in the future");
        schedulerFailures = gauge("odoo_mail_scheduler_failure_count",
                "the mail scheduler's consecutive failures (Odoo 18+)");
        smtpTestSuccess = gauge("odoo_mail_smtp_test_success",
                "1 when the outgoing server's connection test passed, 0 when it failed; absent without a verdict", "server");
        actions = Counter.builder().name("odoo_mail_watchdog_actions_total")
                .help("actions the watchdog took, by outcome").labelNames("target", "action", "outcome").register(registry);
        probeDuration = gauge("odoo_mail_probe_duration_seconds", "how long the last probe took");
        probeErrors = Counter.builder().name("odoo_mail_probe_errors_total")
                .help("probes that failed, by kind").labelNames("target", "kind").register(registry);
        alerts = Counter.builder().name("odoo_mail_watchdog_alerts_total")
                .help("alerts by outcome: delivered, failed or dropped").labelNames("webhook", "outcome").register(registry);
        alertAttempts = Counter.builder().name("odoo_mail_watchdog_alert_attempts_total")
                .help("HTTP requests sent to a webhook, retries included").labelNames("webhook").register(registry);
        alertsQueued = Gauge.builder().name("odoo_mail_watchdog_alerts_queued")
                .help("alerts waiting for a webhook behind the one being delivered").labelNames("webhook").register(registry);
        if (jvmMetrics) {
            JvmMetrics.builder().register(registry);
        }
    }

    private Gauge gauge(String name, String help, String... extraLabels) {
        String[] labels = new String[extraLabels.length + 1];
        labels[0] = "target";
        System.arraycopy(extraLabels, 0, labels, 1, extraLabels.length);
        return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Sets every gauge of the report's target; series that no longer apply are removed. */
    public synchronized void update(TargetReport report, Duration probeDuration) {
        String t = report.target();
        Snapshot s = report.snapshot();
        up.labelValues(t).set(s.reached() ? 1 : 0);
        Duration took = probeDuration != null ? probeDuration : s.duration();
        if (took != null) {
            this.probeDuration.labelValues(t).set(took.toNanos() / 1e9);
        }
        QueueSnapshot q = s.reached() ? s.queue() : null;
        SchedulerSnapshot c = s.reached() ? s.scheduler() : null;
        List<ServerSnapshot> servers = s.reached() && s.servers() != null ? s.servers() : List.of();

        Set<String> states = new HashSet<>();
        Set<String> ages = new HashSet<>();
        if (q != null) {
            q.counts().byState().forEach((state, n) -> {
                messages.labelValues(t, state).set(n);
                states.add(state);
            });
            oldestAge.labelValues(t).set(q.due() > 0 ? q.oldestDueAgeSeconds() : 0);
            for (AgeBucket b : q.ageHistogram()) {
                byAge.labelValues(t, b.label()).set(b.count());
                ages.add(b.label());
            }
            Map<FailureClass, Integer> perClass = new EnumMap<>(FailureClass.class);
            for (FailureClass fc : FailureClass.values()) {
                perClass.put(fc, 0);
            }
            for (FailureSignatureGroup g : q.signatures()) {
                perClass.merge(g.failureClass() == null ? FailureClass.UNKNOWN : g.failureClass(), g.count(), Integer::sum);
            }
            perClass.forEach((fc, n) -> exceptionsSampled.labelValues(t, fc.name()).set(n));
        } else {
            oldestAge.remove(t);
            exceptionsSampled.removeIf(l -> l.get(0).equals(t));
        }
        keepOnly(messages, t, states);
        keepOnly(byAge, t, ages);

        if (c != null) {
            schedulerActive.labelValues(t).set(c.found() && c.active() ? 1 : 0);
            if (c.found()) {
                schedulerOverdue.labelValues(t).set(c.overdueSeconds());
            } else {
                schedulerOverdue.remove(t);
            }
            if (c.found() && c.failureCount() != null) {
                schedulerFailures.labelValues(t).set(c.failureCount());
            } else {
                schedulerFailures.remove(t);
            }
        } else {
            schedulerActive.remove(t);
            schedulerOverdue.remove(t);
            schedulerFailures.remove(t);
        }

        Set<String> tested = new HashSet<>();
        for (ServerSnapshot server : servers) {
            String outcome = server.test() == null ? null : server.test().outcome();
            if ("PASS".equals(outcome) || "FAIL".equals(outcome)) {
                String name = serverLabel(server);
                smtpTestSuccess.labelValues(t, name).set("PASS".equals(outcome) ? 1 : 0);
                tested.add(name);
            }
        }
        keepOnly(smtpTestSuccess, t, tested);
    }

    /** The server's name, or "#id" when it has none. */
    static String serverLabel(ServerSnapshot server) {
        return server.name() == null || server.name().isBlank() ? "#" + server.id() : server.name();
    }

    private static void keepOnly(Gauge gauge, String target, Set<String> second) {
        gauge.removeIf(l -> l.get(0).equals(target) && !second.contains(l.get(1)));
    }

    public void probeError(String target, String kind) {
        probeErrors.labelValues(target, kind).inc();
    }

    public void action(String target, String action, String outcome) {
        actions.labelValues(target, action, outcome).inc();
    }

    /** A configured webhook: its alert series start at 0, so that rates and alert rules see them from the start. */
    public void alertWebhook(String webhook) {
        for (String outcome : List.of("delivered", "failed", "dropped")) {
            alerts.labelValues(webhook, outcome);
        }
        alertAttempts.labelValues(webhook);
        alertsQueued.labelValues(webhook).set(0);
    }

    /** Counts an alert in odoo_mail_watchdog_alerts_total{webhook,outcome}: delivered, failed or dropped. */
    public void alertOutcome(String webhook, String outcome) {
        alerts.labelValues(webhook, outcome).inc();
    }

    public void alertAttempt(String webhook) {
        alertAttempts.labelValues(webhook).inc();
    }

    public void alertsQueued(String webhook, int waiting) {
        alertsQueued.labelValues(webhook).set(waiting);
    }

    /** Removes every series of a target that left the config. */
    public synchronized void forget(String target) {
        for (Gauge g : new ArrayList<>(List.of(up, messages, oldestAge, byAge, exceptionsSampled, schedulerActive,
                schedulerOverdue, schedulerFailures, smtpTestSuccess, probeDuration))) {
            g.removeIf(l -> l.get(0).equals(target));
        }
        actions.removeIf(l -> l.get(0).equals(target));
        probeErrors.removeIf(l -> l.get(0).equals(target));
    }
}
