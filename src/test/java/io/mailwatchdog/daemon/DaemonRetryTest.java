package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon retries by itself once an outage is fixed (retry.enabled): canary, then paced chunks, every
 * mail delivered once, permanent failures left alone; and when the failure is still there, the canary
 * opens the circuit, nothing more is requeued, and retry.circuit FAIL is alerted.
 */
class DaemonRetryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REFUSED = "111\nConnection refused";

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    ScriptedSmtpServer smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    AlertReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(clock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.port());
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        odoo.close();
        smtp.close();
    }

    Settings settings(String extra) throws Exception {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, """
                state-dir = "%s"
                http { port = 0 }
                schedule { probe-interval = 1s, smtp-test-interval = 1m }
                lock { settle-interval = 100ms }
                alerts { webhooks = [ { name = ops, url = "%s" } ], first-backoff = 100ms }
                retry { enabled = true, chunk-size = 40, rate-per-minute = 3000 }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), receiver.url(), extra, odoo.url()));
        return SettingsLoader.load(Optional.of(file), Map.of());
    }

    DaemonRuntime daemon(Settings settings) throws Exception {
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        return new DaemonRuntime(settings, clock, Probe::newSession, s -> AlertWiring.alerts(s, metrics, clock), metrics,
                Pause.REAL).start();
    }

    List<JournalRecord> requeues() throws Exception {
        return Journal.open(dir.resolve("state"), "shop", clock).read(JournalQuery.all().withAction("retry.requeue"))
                .stream().filter(JournalRecord::isIntentRecord).toList();
    }

    @Test
    void afterAnOutageIsFixedTheDaemonRecoversTheQueueByItselfCanaryFirstThenPacedChunks() throws Exception {
        Instant failedAt = clock.instant().minus(Duration.ofMinutes(20));
        List<Integer> failed = shop.exceptions(125, null, REFUSED, failedAt);
        List<Integer> invalid = shop.exceptions(2, "mail_email_invalid", "Invalid email address", failedAt);
        List<String> recovering = new CopyOnWriteArrayList<>();

        // a small rotate-at and settled flushes of 40 days ago: the daemon rotates its journal during the recovery
        Journal old = Journal.open(dir.resolve("state"), "shop", java.time.Clock.fixed(clock.instant()
                .minus(Duration.ofDays(40)), java.time.ZoneOffset.UTC));
        for (int i = 0; i < 40; i++) {
            long seq = old.intent("flush", "an old flush", null, List.of(i), Map.of());
            old.outcome(seq, io.mailwatchdog.journal.Outcome.DONE, null, Map.of());
        }
        try (DaemonRuntime daemon = daemon(settings("journal.rotate-at = 4KiB"))) {
            DaemonEndToEndTest.await("every failed mail sent", Duration.ofSeconds(60), () -> {
                daemon.board().reports().stream().map(r -> r.recovery()).filter(java.util.Objects::nonNull)
                        .forEach(recovering::add);
                return shop.countByState().get("sent") == failed.size();
            });
            DaemonEndToEndTest.await("the report back to PASS", Duration.ofSeconds(20), () -> daemon.board().reports()
                    .get(0).findings().stream().filter(f -> !f.check().equals("queue.exceptions"))
                    .allMatch(f -> f.status() == Status.PASS));
            JsonNode status = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + daemon.httpPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.toString()).contains("retry.circuit").contains("retry.send");
        }
        assertThat(shop.duplicates()).isEmpty();
        assertThat(shop.deliveries()).hasSize(failed.size()).allSatisfy((d, n) -> assertThat(n).isOne());
        assertThat(shop.countByState()).containsEntry("exception", invalid.size()).containsEntry("outgoing", 0);
        List<JournalRecord> requeues = requeues();
        assertThat(requeues.get(0).details()).containsEntry("phase", "canary");
        assertThat(requeues).extracting(r -> r.ids().size()).containsExactly(5, 40, 40, 40);
        assertThat(requeues.stream().flatMap(r -> r.ids().stream())).doesNotHaveDuplicates().doesNotContainAnyElementsOf(invalid);
        // paced: 40 mails at 3000/min are 0.8 s apart at least
        for (int i = 2; i < requeues.size(); i++) {
            assertThat(Duration.between(requeues.get(i - 1).at(), requeues.get(i).at())).isGreaterThanOrEqualTo(Duration.ofMillis(790));
        }
        assertThat(recovering).as("the target said it was recovering while it was not PASS").isNotEmpty()
                .allMatch(r -> r.startsWith("recovering: exceptions "));
        try (java.util.stream.Stream<Path> rotated = Files.list(Journal.archiveDirectory(dir.resolve("state")))) {
            assertThat(rotated.toList()).as("the journal was rotated; its requeues (above) stayed in the file")
                    .isNotEmpty().allMatch(f -> f.getFileName().toString().matches("shop-.*\\.jsonl\\.gz"));
        }
        assertThat(Journal.open(dir.resolve("state"), "shop", clock).read(JournalQuery.all().withAction("flush")))
                .as("the old records went").isEmpty();
    }

    @Test
    void whenTheCanaryFailsTheSameWayTheCircuitOpensNothingMoreIsRequeuedAndTheAlertGoesOut() throws Exception {
        shop.exceptions(60, null, REFUSED, clock.instant().minus(Duration.ofMinutes(20)));
        // the server answers its test, but refuses every customer the same way as before: the cause is not fixed
        String refusedAgain = "Mail Delivery Failed\nMail delivery failed via SMTP server 'None'.\n"
                + "SMTPRecipientsRefused: {'x@example.com': (421, b'4.3.2 Service not available')}";
        shop.exceptions(0, null, refusedAgain);
        smtp.rcptReply(rcpt -> rcpt.startsWith("customer") ? "421 4.3.2 Service not available" : "250 2.1.5 OK");

        try (DaemonRuntime daemon = daemon(settings(""))) {
            DaemonEndToEndTest.await("the retry.circuit alert", Duration.ofSeconds(60), () -> receiver.bodies.stream()
                    .anyMatch(b -> b.contains("\"check\":\"retry.circuit\"") && b.contains("\"status\":\"FAIL\"")));
            Thread.sleep(3000); // three more probes: nothing more may be requeued
        }
        assertThat(requeues()).singleElement().satisfies(r -> {
            assertThat(r.details()).containsEntry("phase", "canary");
            assertThat(r.ids()).hasSize(5);
        });
        assertThat(shop.countByState()).containsEntry("exception", 60).containsEntry("outgoing", 0);
        assertThat(shop.mailCron().active()).isTrue();
        assertThat(Files.readAllLines(io.mailwatchdog.history.ProbeHistory.file(dir.resolve("state"), "shop")))
                .as("the history has the probes and the circuit's event").anyMatch(l -> l.contains("\"type\":\"probe\""))
                .anyMatch(l -> l.contains("\"kind\":\"circuit opened\"") && l.contains("failed again"));
    }

    @Test
    void aCommandLineRetryBesideTheDaemonsRetryIsRefusedAndNothingIsSentTwice() throws Exception {
        List<Integer> failed = shop.exceptions(90, null, REFUSED, clock.instant().minus(Duration.ofMinutes(20)));
        shop.sendDelay(Duration.ofMillis(30));
        Path cliConf = dir.resolve("cli.conf");
        Files.writeString(cliConf, """
                state-dir = "%s"
                retry.rate-per-minute = 0
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));

        try (DaemonRuntime daemon = daemon(settings("retry.rate-per-minute = 0"))) {
            DaemonEndToEndTest.await("the daemon's retry holding the lock", Duration.ofSeconds(30),
                    () -> shop.param("odoo_mail_watchdog.lock").filter(v -> v.contains("\"kind\":\"retry\"")).isPresent());
            io.mailwatchdog.testing.CliRun cli = io.mailwatchdog.testing.CliRun.of("-c", cliConf.toString(), "retry",
                    "--target", "shop", "--apply");
            assertThat(cli.exit()).as(cli.all()).isEqualTo(2);
            assertThat(cli.out()).contains("stopped: lock busy").contains("/daemon");
            DaemonEndToEndTest.await("every failed mail sent", Duration.ofSeconds(60),
                    () -> shop.countByState().get("sent") == failed.size());
        }
        assertThat(shop.duplicates()).isEmpty();
        assertThat(requeues()).allSatisfy(r -> assertThat(r.details()).containsKey("phase"));
        assertThat(requeues().stream().flatMap(r -> r.ids().stream())).doesNotHaveDuplicates().hasSize(failed.size());
    }
}
