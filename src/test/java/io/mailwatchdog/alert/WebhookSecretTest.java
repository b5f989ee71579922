package io.mailwatchdog.alert;

import static io.mailwatchdog.alert.Reports.T0;
import static io.mailwatchdog.alert.Reports.scheduler;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.Secret;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.http.WatchdogMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A webhook URL is a credential (Slack's is): it goes on the wire and nowhere else. */
class WebhookSecretTest {

    static final String TOKEN = "s3cr3tT0ken";
    static final String PATH = "/services/T0001/B0001/" + TOKEN;

    @Test
    void theUrlSecretNeverAppearsInLogsWhateverHappensToTheAlert() throws Exception {
        WebhookReceiver refusing = WebhookReceiver.start()
                // a receiver that quotes the request back in its refusal
                .then(new WebhookReceiver.Answer(404, Map.of(), "no_service for POST " + PATH + "?key=" + TOKEN, null));
        WebhookReceiver flaky = WebhookReceiver.start().then(500);
        WebhookReceiver down = WebhookReceiver.notYetUp();
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        AlertCounts counts = new AlertCounts(metrics);
        List<Webhook> webhooks = List.of(
                new Webhook("refusing", Secret.inline(refusing.url(PATH + "?key=" + TOKEN)), WebhookFormat.SLACK),
                new Webhook("flaky", Secret.inline(flaky.url(PATH)), WebhookFormat.GENERIC),
                new Webhook("down", Secret.inline("http://hook:" + TOKEN + "@127.0.0.1:" + down.port() + PATH),
                        WebhookFormat.ALERTMANAGER),
                new Webhook("broken", Secret.inline("http://127.0.0.1:1/ bad " + TOKEN), WebhookFormat.GENERIC));
        AlertSettings settings = new AlertSettings(webhooks, Duration.ofHours(4), 3, Duration.ofMillis(10),
                Duration.ofSeconds(5), 10);
        try (LogCapture logs = new LogCapture()) {
            Alerter alerter = new Alerter(settings, metrics, null, new io.mailwatchdog.simulator.SimulatedClock(T0), "watchdog-host");
            alerter.observe(scheduler("prod", Status.FAIL));
            assertThat(counts.awaitOutcome("refusing", "failed", 1)).isEqualTo(1.0);
            assertThat(counts.awaitOutcome("flaky", "delivered", 1)).isEqualTo(1.0);
            assertThat(counts.awaitOutcome("down", "failed", 1)).isEqualTo(1.0);
            assertThat(counts.awaitOutcome("broken", "failed", 1)).isEqualTo(1.0);
            alerter.close(Duration.ofSeconds(1));

            assertThat(logs.lines()).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(TOKEN, "T0001/B0001"));
            assertThat(logs.errors()).anySatisfy(l -> assertThat(l)
                    .contains("webhook refusing (http://127.0.0.1:" + refusing.port() + ")", "HTTP 404: no_service for POST ********"));
            assertThat(logs.errors()).anySatisfy(l -> assertThat(l)
                    .contains("webhook down (http://127.0.0.1:" + down.port() + ")", "cannot connect"));
            assertThat(logs.errors()).anySatisfy(l -> assertThat(l)
                    .contains("webhook broken (?)", "its URL is not a valid URL"));
            assertThat(settings.toString()).doesNotContain(TOKEN);
        } finally {
            refusing.close();
            flaky.close();
        }
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthentication() throws Exception {
        WebhookReceiver am = WebhookReceiver.start();
        try {
            AlertSettings settings = new AlertSettings(List.of(new Webhook("am",
                    Secret.inline("http://alert:p%40ss@127.0.0.1:" + am.port() + "/api/v2/alerts"), WebhookFormat.ALERTMANAGER)),
                    Duration.ofHours(4), 3, Duration.ofMillis(10), Duration.ofSeconds(5), 10);
            Alerter alerter = new Alerter(settings, null, null, new io.mailwatchdog.simulator.SimulatedClock(T0), "watchdog-host");
            alerter.observe(scheduler("prod", Status.FAIL));
            WebhookReceiver.Received r = am.next();
            assertThat(r.path()).isEqualTo("/api/v2/alerts");
            assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("alert:p@ss".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            alerter.close(Duration.ofSeconds(1));
        } finally {
            am.close();
        }
    }
}
