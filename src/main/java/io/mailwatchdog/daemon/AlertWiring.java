package io.mailwatchdog.daemon;

import io.mailwatchdog.alert.AlertSettings;
import io.mailwatchdog.alert.Alerter;
import io.mailwatchdog.alert.Webhook;
import io.mailwatchdog.alert.WebhookFormat;
import io.mailwatchdog.config.AlertsSettings;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.report.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The config's alerts block turned into a running {@link Alerter}; alert texts are masked with every secret of the config. */
public final class AlertWiring {

    private AlertWiring() {
    }

    public static DaemonRuntime.Alerts alerts(Settings settings, WatchdogMetrics metrics, Clock clock) {
        AlertsSettings a = settings.alerts();
        if (a.webhooks().isEmpty()) {
            return DaemonRuntime.Alerts.NONE;
        }
        List<Webhook> hooks = a.webhooks().stream()
                .map(w -> new Webhook(w.name(), w.url(), WebhookFormat.valueOf(w.format().name()))).toList();
        AlertSettings alertSettings = new AlertSettings(hooks, a.renotifyInterval(), a.maxAttempts(), a.firstBackoff(),
                a.requestTimeout(), AlertSettings.DEFAULT_QUEUE_CAPACITY);
        Redactor redactor = new Redactor(settings);
        Alerter alerter = new Alerter(alertSettings, metrics, redactor::apply, clock);
        return new DaemonRuntime.Alerts() {
            @Override
            public void observe(TargetReport report) {
                alerter.observe(report);
            }

            @Override
            public void forget(String target) {
                alerter.forget(target);
            }

            @Override
            public void close(Duration grace) {
                alerter.close(grace);
            }
        };
    }
}
