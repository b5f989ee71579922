package io.mailwatchdog.alert;

import io.mailwatchdog.http.WatchdogMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Reads the alert series of a WatchdogMetrics; delivery counts are made on other threads, hence the waits. */
final class AlertCounts {

    private final WatchdogMetrics metrics;

    AlertCounts(WatchdogMetrics metrics) {
        this.metrics = metrics;
    }

    double outcome(String webhook, String outcome) {
        return value("odoo_mail_watchdog_alerts", webhook, outcome);
    }

    double attempts(String webhook) {
        return value("odoo_mail_watchdog_alert_attempts", webhook, null);
    }

    double queued(String webhook) {
        return value("odoo_mail_watchdog_alerts_queued", webhook, null);
    }

    /** Waits up to 5 s for the count to reach the value, then returns it, reached or not. */
    double awaitOutcome(String webhook, String outcome, double expected) throws InterruptedException {
        return await(() -> outcome(webhook, outcome), expected);
    }

    double awaitAttempts(String webhook, double expected) throws InterruptedException {
        return await(() -> attempts(webhook), expected);
    }

    private static double await(DoubleSupplier value, double expected) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (value.getAsDouble() < expected && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return value.getAsDouble();
    }

    private double value(String name, String webhook, String outcome) {
        for (MetricSnapshot s : metrics.registry().scrape()) {
            if (!s.getMetadata().getName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot p : s.getDataPoints()) {
                if (webhook.equals(p.getLabels().get("webhook"))
                        && (outcome == null || outcome.equals(p.getLabels().get("outcome")))) {
                    return p instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue()
                            : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
                }
            }
        }
        return Double.NaN;
    }
}
