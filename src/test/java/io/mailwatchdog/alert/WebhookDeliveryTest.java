package io.mailwatchdog.alert;

import static io.mailwatchdog.alert.Reports.T0;
import static io.mailwatchdog.alert.Reports.scheduler;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.http.WatchdogMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, backoff, refusals, a full queue and shutdown, against a real local receiver. */
class WebhookDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final io.mailwatchdog.simulator.SimulatedClock clock = new io.mailwatchdog.simulator.SimulatedClock(T0);
    final WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
    final AlertCounts counts = new AlertCounts(metrics);
    final List<WebhookReceiver> receivers = new ArrayList<>();
    final List<CountDownLatch> holds = new ArrayList<>();
    Alerter alerter;

    @AfterEach
    void stop() {
        holds.forEach(CountDownLatch::countDown);
        if (alerter != null) {
            alerter.close(Duration.ofSeconds(2));
        }
        receivers.forEach(WebhookReceiver::close);
    }

    WebhookReceiver track(WebhookReceiver r) {
        receivers.add(r);
        return r;
    }

    CountDownLatch hold() {
        CountDownLatch latch = new CountDownLatch(1);
        holds.add(latch);
        return latch;
    }

    Alerter alerter(int maxAttempts, int queueCapacity, Webhook... webhooks) {
        AlertSettings s = new AlertSettings(List.of(webhooks), Duration.ofHours(4), maxAttempts, Duration.ofMillis(20),
                Duration.ofSeconds(5), queueCapacity);
        alerter = new Alerter(s, metrics, null, clock, "watchdog-host");
        return alerter;
    }

    static Webhook generic(String name, String url) {
        return new Webhook(name, Secret.inline(url), WebhookFormat.GENERIC);
    }

    @Test
    void theSameStatusObservedTwiceIsSentOnce() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start());
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        clock.advance(Duration.ofSeconds(30));
        alerter.observe(scheduler("prod", Status.FAIL));
        r.next();
        assertThat(r.nextWithin(300)).isNull();
        assertThat(counts.awaitOutcome("ops", "delivered", 1)).isEqualTo(1.0);
    }

    @Test
    void aFailingCheckIsSentAgainAfterTheRenotifyInterval() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start());
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        assertThat(JSON.readTree(r.next().body()).get("transition").asText()).isEqualTo("FAIL");
        clock.advance(Duration.ofHours(4));
        alerter.observe(scheduler("prod", Status.FAIL));
        assertThat(JSON.readTree(r.next().body()).get("transition").asText()).isEqualTo("reminder");
    }

    @Test
    void aReceiverThatIsDownGetsTheAlertOnceItComesUp() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.notYetUp());
        alerter(8, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        assertThat(counts.awaitAttempts("ops", 2)).as("refused connections, retried").isGreaterThanOrEqualTo(2);
        r.up();
        assertThat(JSON.readTree(r.next().body()).get("status").asText()).isEqualTo("FAIL");
        assertThat(counts.awaitOutcome("ops", "delivered", 1)).isEqualTo(1.0);
        assertThat(counts.outcome("ops", "failed")).isZero();
    }

    @Test
    void aReceiverAnswering500IsRetriedUntilItAnswers200() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start()).then(500, 503);
        alerter(6, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        String first = r.next().body();
        assertThat(r.next().body()).isEqualTo(first);
        assertThat(r.next().body()).isEqualTo(first);
        assertThat(counts.awaitOutcome("ops", "delivered", 1)).isEqualTo(1.0);
        assertThat(counts.attempts("ops")).isEqualTo(3.0);
        assertThat(r.nextWithin(200)).isNull();
    }

    @Test
    void a400IsNotRetriedButLoggedWithTheReceiversWordsAndCountedAsFailed() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(400, Map.of(), "invalid_payload", null));
        try (LogCapture logs = new LogCapture()) {
            alerter(6, 10, generic("ops", r.url("/")));
            alerter.observe(scheduler("prod", Status.FAIL));
            r.next();
            assertThat(counts.awaitOutcome("ops", "failed", 1)).isEqualTo(1.0);
            assertThat(r.nextWithin(300)).isNull();
            assertThat(counts.attempts("ops")).isEqualTo(1.0);
            assertThat(counts.outcome("ops", "delivered")).isZero();
            assertThat(logs.errors()).singleElement().asString()
                    .contains("prod scheduler.active FAIL", "webhook ops", "http://127.0.0.1:" + r.port(),
                            "HTTP 400: invalid_payload", "not retried");
        }
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAfterTheLastAttemptWithOneErrorLine() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start()).then(503, 503, 503, 503);
        try (LogCapture logs = new LogCapture()) {
            alerter(3, 10, generic("ops", r.url("/")));
            alerter.observe(scheduler("prod", Status.FAIL));
            assertThat(counts.awaitOutcome("ops", "failed", 1)).isEqualTo(1.0);
            assertThat(r.all()).hasSize(3);
            assertThat(logs.errors()).singleElement().asString().contains("after 3 attempt(s): HTTP 503");
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("INFO ")).hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("failed: HTTP 503; next attempt in"));
        }
    }

    @Test
    void aRetryAfterOf429IsWaitedFor() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(429, Map.of("Retry-After", "1"), "", null));
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        WebhookReceiver.Received limited = r.next();
        WebhookReceiver.Received retried = r.next();
        assertThat(Duration.between(limited.at(), retried.at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(counts.awaitOutcome("ops", "delivered", 1)).isEqualTo(1.0);
    }

    @Test
    void observeReturnsWhileTheReceiverHoldsTheRequest() throws Exception {
        CountDownLatch release = hold();
        WebhookReceiver r = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(200, Map.of(), "", release));
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        r.next();
        // the receiver now holds the first request; the probes' thread goes on observing
        alerter.observe(scheduler("prod", Status.PASS));
        alerter.observe(scheduler("staging", Status.WARN));
        assertThat(release.getCount()).as("the receiver still holds the first request").isEqualTo(1);
        assertThat(counts.queued("ops")).isEqualTo(2.0);
        release.countDown();
        assertThat(JSON.readTree(r.next().body()).get("transition").asText()).isEqualTo("recovered");
        assertThat(JSON.readTree(r.next().body()).get("target").asText()).isEqualTo("staging");
        assertThat(counts.awaitOutcome("ops", "delivered", 3)).isEqualTo(3.0);
    }

    @Test
    void aDeadWebhookHoldsUpOnlyItsOwnAlerts() throws Exception {
        CountDownLatch release = hold();
        WebhookReceiver stuck = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(200, Map.of(), "", release));
        WebhookReceiver fine = track(WebhookReceiver.start());
        alerter(3, 10, generic("stuck", stuck.url("/")), generic("fine", fine.url("/")));
        alerter.observe(scheduler("prod", Status.FAIL));
        alerter.observe(scheduler("prod", Status.PASS));
        stuck.next();
        fine.next();
        fine.next();
        assertThat(release.getCount()).isEqualTo(1);
        assertThat(counts.awaitOutcome("fine", "delivered", 2)).isEqualTo(2.0);
    }

    @Test
    void aFullQueueDropsTheNewAlertWithAnErrorLineAndACount() throws Exception {
        CountDownLatch release = hold();
        WebhookReceiver r = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(200, Map.of(), "", release));
        try (LogCapture logs = new LogCapture()) {
            alerter(3, 1, generic("ops", r.url("/")));
            alerter.observe(scheduler("a", Status.FAIL));
            r.next();
            alerter.observe(scheduler("b", Status.FAIL));
            alerter.observe(scheduler("c", Status.FAIL));
            assertThat(counts.outcome("ops", "dropped")).isEqualTo(1.0);
            assertThat(logs.errors()).singleElement().asString()
                    .contains("alert c scheduler.active FAIL dropped for webhook ops", "queue capacity");
            release.countDown();
            assertThat(JSON.readTree(r.next().body()).get("target").asText()).isEqualTo("b");
            assertThat(counts.awaitOutcome("ops", "delivered", 2)).isEqualTo(2.0);
            assertThat(r.nextWithin(200)).isNull();
        }
    }

    @Test
    void aWaitingReminderIsReplacedByANewerOneRatherThanQueuedTwice() throws Exception {
        CountDownLatch release = hold();
        WebhookReceiver r = track(WebhookReceiver.start())
                .then(new WebhookReceiver.Answer(200, Map.of(), "", release));
        alerter(3, 10, new Webhook("am", Secret.inline(r.url("/")), WebhookFormat.ALERTMANAGER));
        alerter.observe(scheduler("prod", Status.FAIL));
        r.next();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            alerter.observe(scheduler("prod", Status.FAIL));
        }
        assertThat(counts.queued("am")).isEqualTo(1.0);
        release.countDown();
        assertThat(JSON.readTree(r.next().body()).get(0).get("endsAt").asText())
                .as("the newest keep-alive").isEqualTo("2026-11-23T12:10:00Z");
        assertThat(r.nextWithin(200)).isNull();
    }

    @Test
    void closeDeliversWhatIsQueuedWithinTheGrace() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start()).then(500);
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("a", Status.FAIL));
        alerter.observe(scheduler("b", Status.FAIL));
        alerter.observe(scheduler("c", Status.FAIL));
        alerter.close(Duration.ofSeconds(5));
        assertThat(counts.outcome("ops", "delivered")).isEqualTo(3.0);
        assertThat(r.all()).hasSize(4);
    }

    @Test
    void closeLogsAndCountsEveryAlertItCouldNotDeliverInTheGrace() throws Exception {
        WebhookReceiver down = track(WebhookReceiver.notYetUp());
        try (LogCapture logs = new LogCapture()) {
            alerter(100, 10, generic("ops", down.url("/")));
            alerter.observe(scheduler("a", Status.FAIL));
            alerter.observe(scheduler("b", Status.WARN));
            alerter.close(Duration.ofMillis(100));
            assertThat(counts.outcome("ops", "dropped")).isEqualTo(2.0);
            assertThat(logs.errors()).hasSize(2).allSatisfy(l -> assertThat(l).contains("the watchdog stopped first"));
            alerter.observe(scheduler("c", Status.FAIL));
            assertThat(counts.outcome("ops", "dropped")).as("after close, counted too").isEqualTo(3.0);
        }
    }

    @Test
    void anAlertIsCountedOnceWhateverHappensAfterItsOutcome() throws Exception {
        WebhookReceiver r = track(WebhookReceiver.start());
        alerter(3, 10, generic("ops", r.url("/")));
        alerter.observe(scheduler("a", Status.FAIL));
        r.next();
        assertThat(counts.awaitOutcome("ops", "delivered", 1)).isEqualTo(1.0);
        alerter.close(Duration.ofMillis(100));
        assertThat(counts.outcome("ops", "delivered") + counts.outcome("ops", "failed") + counts.outcome("ops", "dropped"))
                .isEqualTo(1.0);
    }
}
