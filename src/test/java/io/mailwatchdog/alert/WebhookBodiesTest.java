package io.mailwatchdog.alert;

import static io.mailwatchdog.alert.Reports.T0;
import static io.mailwatchdog.alert.Reports.scheduler;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each format's receiver gets, as received over real HTTP. */
class WebhookBodiesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final io.mailwatchdog.simulator.SimulatedClock clock = new io.mailwatchdog.simulator.SimulatedClock(T0);
    final List<WebhookReceiver> receivers = new ArrayList<>();
    Alerter alerter;

    @AfterEach
    void stop() {
        if (alerter != null) {
            alerter.close(Duration.ofSeconds(2));
        }
        receivers.forEach(WebhookReceiver::close);
    }

    WebhookReceiver receiver() throws Exception {
        WebhookReceiver r = WebhookReceiver.start();
        receivers.add(r);
        return r;
    }

    Alerter alerter(Webhook... webhooks) {
        AlertSettings s = new AlertSettings(List.of(webhooks), Duration.ofHours(4), 3, Duration.ofMillis(10),
                Duration.ofSeconds(5), 100);
        alerter = new Alerter(s, null, null, clock, "watchdog-host");
        return alerter;
    }

    static Webhook webhook(String name, WebhookReceiver r, WebhookFormat format) {
        return new Webhook(name, Secret.inline(r.url("/hook/" + name)), format);
    }

    @Test
    void theGenericBodyNamesTheTransitionTheTextsAndTheWatchdog() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("ops", r, WebhookFormat.GENERIC));
        alerter.observe(scheduler("prod", Status.PASS));
        clock.advance(Duration.ofMinutes(5));
        alerter.observe(scheduler("prod", Status.FAIL));

        WebhookReceiver.Received fail = r.next();
        assertThat(fail.method()).isEqualTo("POST");
        assertThat(fail.path()).isEqualTo("/hook/ops");
        assertThat(fail.contentType()).isEqualTo("application/json");
        JsonNode body = JSON.readTree(fail.body());
        assertThat(fieldNames(body)).containsExactly("target", "check", "status", "previous", "transition", "summary",
                "detail", "hint", "at", "watchdog");
        assertThat(body.get("target").asText()).isEqualTo("prod");
        assertThat(body.get("check").asText()).isEqualTo("scheduler.active");
        assertThat(body.get("status").asText()).isEqualTo("FAIL");
        assertThat(body.get("previous").asText()).isEqualTo("PASS");
        assertThat(body.get("transition").asText()).isEqualTo("FAIL");
        assertThat(body.get("summary").asText()).isEqualTo("the mail scheduler cron is inactive: no mail leaves");
        assertThat(body.get("detail").asText())
                .startsWith("FAIL since 2026-11-23T12:05:00Z, was PASS since 2026-11-23T12:00:00Z (5 min); evidence: ")
                .contains("cron=3", "active=false");
        assertThat(body.get("hint").asText()).startsWith("re-enable the Mail: Email Queue Manager cron");
        assertThat(body.get("at").asText()).isEqualTo("2026-11-23T12:05:00Z");
        assertThat(body.get("watchdog").asText()).isEqualTo("watchdog-host");

        clock.advance(Duration.ofMinutes(10));
        alerter.observe(scheduler("prod", Status.PASS));
        JsonNode recovered = JSON.readTree(r.next().body());
        assertThat(recovered.get("transition").asText()).isEqualTo("recovered");
        assertThat(recovered.get("status").asText()).isEqualTo("PASS");
        assertThat(recovered.get("previous").asText()).isEqualTo("FAIL");
        assertThat(recovered.has("hint")).as("no hint on a PASS").isFalse();
    }

    @Test
    void aFirstFailingObservationHasANullPrevious() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("ops", r, WebhookFormat.GENERIC));
        alerter.observe(scheduler("prod", Status.WARN));
        JsonNode body = JSON.readTree(r.next().body());
        assertThat(body.get("previous").isNull()).isTrue();
        assertThat(body.get("transition").asText()).isEqualTo("WARN");
    }

    @Test
    void theSlackBodyIsOneReadableLineWithAnEmojiPerStatus() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("chat", r, WebhookFormat.SLACK));
        alerter.observe(scheduler("prod", Status.PASS));
        alerter.observe(scheduler("prod", Status.WARN));
        alerter.observe(scheduler("prod", Status.FAIL));
        alerter.observe(scheduler("prod", Status.PASS));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode body = JSON.readTree(r.next().body());
            assertThat(fieldNames(body)).containsExactly("text");
            texts.add(body.get("text").asText());
        }
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain("\n"));
        assertThat(texts.get(0)).isEqualTo(":warning: WARN *prod* `scheduler.active`: the mail scheduler is late"
                + " (was PASS). Next: check max_cron_threads");
        assertThat(texts.get(1)).startsWith(":rotating_light: FAIL *prod* `scheduler.active`: the mail scheduler cron"
                + " is inactive: no mail leaves (was WARN). Next: re-enable the Mail: Email Queue Manager cron (Settings &gt; Technical");
        assertThat(texts.get(2)).isEqualTo(":white_check_mark: recovered *prod* `scheduler.active`: the mail scheduler"
                + " cron is active (was FAIL)");
    }

    @Test
    void theSlackReminderSaysStillAndSince() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("chat", r, WebhookFormat.SLACK));
        alerter.observe(scheduler("prod", Status.FAIL));
        r.next();
        clock.advance(Duration.ofHours(4));
        alerter.observe(scheduler("prod", Status.FAIL));
        assertThat(JSON.readTree(r.next().body()).get("text").asText())
                .startsWith(":rotating_light: still FAIL *prod* `scheduler.active`: the mail scheduler cron is inactive:"
                        + " no mail leaves (since 2026-11-23T12:00:00Z)");
    }

    @Test
    void alertmanagerGetsAFiringAlertThatOnlyARecoveryOfTheSameLabelsResolves() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("am", r, WebhookFormat.ALERTMANAGER));
        alerter.observe(scheduler("prod", Status.FAIL));
        JsonNode firing = JSON.readTree(r.next().body());
        assertThat(firing.isArray()).isTrue();
        assertThat(firing).hasSize(1);
        JsonNode a = firing.get(0);
        assertThat(fieldNames(a)).containsExactly("labels", "annotations", "startsAt", "endsAt");
        assertThat(JSON.writeValueAsString(a.get("labels"))).isEqualTo(
                "{\"alertname\":\"OdooMailWatchdog\",\"target\":\"prod\",\"check\":\"scheduler.active\",\"severity\":\"critical\"}");
        assertThat(a.get("annotations").get("summary").asText()).isEqualTo("the mail scheduler cron is inactive: no mail leaves");
        assertThat(a.get("annotations").get("description").asText()).startsWith("FAIL since 2026-11-23T12:00:00Z")
                .contains("\nnext: re-enable the Mail: Email Queue Manager cron");
        assertThat(a.get("startsAt").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(a.get("endsAt").asText()).as("an hour while the probe interval is unknown").isEqualTo("2026-11-23T13:00:00Z");

        clock.advance(Duration.ofMinutes(2));
        alerter.observe(scheduler("prod", Status.FAIL));
        JsonNode keptAlive = JSON.readTree(r.next().body()).get(0);
        assertThat(keptAlive.get("labels")).isEqualTo(a.get("labels"));
        assertThat(keptAlive.get("startsAt").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(keptAlive.get("endsAt").asText()).as("4 probe intervals, at least 5 min").isEqualTo("2026-11-23T12:10:00Z");

        clock.advance(Duration.ofMinutes(2));
        alerter.observe(scheduler("prod", Status.PASS));
        JsonNode resolved = JSON.readTree(r.next().body());
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).get("labels")).isEqualTo(a.get("labels"));
        assertThat(resolved.get(0).get("startsAt").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(resolved.get(0).get("endsAt").asText()).as("now: resolved").isEqualTo("2026-11-23T12:04:00Z");
    }

    @Test
    void alertmanagerGetsAChangeOfSeverityAsTheOldResolvedAndTheNewFiringInOneRequest() throws Exception {
        WebhookReceiver r = receiver();
        alerter(webhook("am", r, WebhookFormat.ALERTMANAGER));
        alerter.observe(scheduler("prod", Status.WARN));
        r.next();
        clock.advance(Duration.ofMinutes(3));
        alerter.observe(scheduler("prod", Status.FAIL));
        JsonNode both = JSON.readTree(r.next().body());
        assertThat(both).hasSize(2);
        assertThat(both.get(0).get("labels").get("severity").asText()).isEqualTo("warning");
        assertThat(both.get(0).get("endsAt").asText()).isEqualTo("2026-11-23T12:03:00Z");
        assertThat(both.get(1).get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(both.get(1).get("startsAt").asText()).isEqualTo("2026-11-23T12:03:00Z");
        assertThat(both.get(1).get("endsAt").asText()).isEqualTo("2026-11-23T12:15:00Z");
    }

    @Test
    void peopleGetRemindersAndAlertmanagerGetsKeepAlivesButNotTheOtherWayRound() throws Exception {
        WebhookReceiver chat = receiver();
        WebhookReceiver am = receiver();
        alerter(webhook("chat", chat, WebhookFormat.SLACK), webhook("am", am, WebhookFormat.ALERTMANAGER));
        alerter.observe(scheduler("prod", Status.FAIL));
        chat.next();
        am.next();
        clock.advance(Duration.ofMinutes(1));
        alerter.observe(scheduler("prod", Status.FAIL));
        am.next();
        assertThat(chat.nextWithin(200)).as("no reminder before the re-notify interval").isNull();
        clock.advance(Duration.ofHours(4));
        alerter.observe(scheduler("prod", Status.FAIL));
        assertThat(chat.next().body()).contains("still FAIL");
        assertThat(JSON.readTree(am.next().body())).hasSize(1);
        assertThat(am.nextWithin(200)).as("one request per observation for Alertmanager").isNull();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
