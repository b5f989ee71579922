package io.mailwatchdog.alert;

import static io.mailwatchdog.alert.Reports.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A refused login stops every probe of the target until someone acts: its alert says so, and what to do. */
class LoginAlertTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REFUSED = "Odoo refused the login of watchdog on database prod: Access Denied";
    static final String PARKED = "login parked since 2026-11-20T08:00:00Z after Odoo refused it (Access Denied); not retried"
            + " until the secret or config changes, or `check --unpark`";

    final io.mailwatchdog.simulator.SimulatedClock clock = new io.mailwatchdog.simulator.SimulatedClock(T0);
    WebhookReceiver generic;
    WebhookReceiver slack;
    Alerter alerter;

    @BeforeEach
    void start() throws Exception {
        generic = WebhookReceiver.start();
        slack = WebhookReceiver.start();
        AlertSettings s = new AlertSettings(List.of(
                new Webhook("ops", Secret.inline(generic.url("/")), WebhookFormat.GENERIC),
                new Webhook("chat", Secret.inline(slack.url("/")), WebhookFormat.SLACK)),
                Duration.ofHours(4), 3, Duration.ofMillis(10), Duration.ofSeconds(5), 10);
        alerter = new Alerter(s, null, null, clock, "watchdog-host");
    }

    @AfterEach
    void stop() {
        alerter.close(Duration.ofSeconds(2));
        generic.close();
        slack.close();
    }

    @Test
    void aRefusedLoginAlertsThatOdooRefusedItAndToFixTheSecretThenUnpark() throws Exception {
        alerter.observe(Reports.scheduler("prod", Status.PASS));
        clock.advance(Duration.ofMinutes(1));
        alerter.observe(Reports.failed("prod", "login-refused", REFUSED));
        JsonNode body = JSON.readTree(generic.next().body());
        assertThat(body.get("check").asText()).isEqualTo(CheckIds.ODOO_LOGIN);
        assertThat(body.get("status").asText()).isEqualTo("FAIL");
        assertThat(body.get("previous").asText()).isEqualTo("PASS");
        assertThat(body.get("summary").asText()).startsWith("Odoo refused the watchdog's login on prod")
                .contains("expired API key", "parked", REFUSED);
        assertThat(body.get("hint").asText()).contains("password or API key", "check --unpark");
        assertThat(JSON.readTree(slack.next().body()).get("text").asText())
                .startsWith(":rotating_light: FAIL *prod* `odoo.login`: Odoo refused the watchdog's login on prod")
                .contains("Next: fix the target's password or API key");
    }

    @Test
    void aTargetParkedWhenTheWatchdogStartsAlertsThatItIsParked() throws Exception {
        alerter.observe(Reports.failed("prod", "login-parked", PARKED));
        JsonNode body = JSON.readTree(generic.next().body());
        assertThat(body.get("check").asText()).isEqualTo(CheckIds.ODOO_LOGIN);
        assertThat(body.get("previous").isNull()).isTrue();
        assertThat(body.get("summary").asText()).startsWith("the watchdog's Odoo login on prod is parked")
                .contains("nothing is probed until the secret changes or `check --unpark` runs");
        assertThat(body.get("hint").asText()).contains("check --unpark");
        assertThat(JSON.readTree(slack.next().body()).get("text").asText()).contains("is parked");
    }

    @Test
    void aRefusedLoginThatIsThenParkedAlertsOnceAndAgainWhenTheLoginWorks() throws Exception {
        alerter.observe(Reports.failed("prod", "login-refused", REFUSED));
        assertThat(JSON.readTree(generic.next().body()).get("check").asText()).isEqualTo(CheckIds.ODOO_LOGIN);
        clock.advance(Duration.ofMinutes(1));
        alerter.observe(Reports.failed("prod", "login-parked", PARKED));
        assertThat(generic.nextWithin(300)).as("still FAIL: no news").isNull();
        clock.advance(Duration.ofMinutes(1));
        alerter.observe(Reports.scheduler("prod", Status.PASS));
        JsonNode back = JSON.readTree(generic.next().body());
        assertThat(back.get("check").asText()).isEqualTo(CheckIds.ODOO_LOGIN);
        assertThat(back.get("transition").asText()).isEqualTo("recovered");
        assertThat(back.get("summary").asText()).startsWith("the watchdog logs in to prod again");
        // odoo.reachable was UNKNOWN while parked (no verdict) and PASS before; the other checks pass at first sight
        assertThat(generic.nextWithin(300)).isNull();
    }
}
