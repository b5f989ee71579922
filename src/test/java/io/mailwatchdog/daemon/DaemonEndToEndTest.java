package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.simulator.Stall;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop of the daemon against the simulated Odoo and a real SMTP server (GreenMail): a stalled
 * scheduler and a backlog are found, the cron is revived and the backlog flushed, every write is in the
 * journal after its intent, /metrics and /status tell the truth, and the alerts reach a real receiver.
 */
class DaemonEndToEndTest {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    GreenMail smtp;
    SimulatedOdoo odoo;
    AlertReceiver receiver;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(clock);
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        odoo.close();
        smtp.stop();
    }

    SimulatedDatabase shop(String version) {
        SimulatedDatabase shop = odoo.addDatabase("shop", version);
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        return shop;
    }

    Settings settings(String extra) throws Exception {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, """
                state-dir = "%s"
                http { port = 0 }
                schedule { probe-interval = %ds, smtp-test-interval = 1m }
                flush { after = 1m }
                lock { settle-interval = 200ms }
                alerts { webhooks = [ { name = ops, url = "%s" } ], first-backoff = 100ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), INTERVAL.toSeconds(), receiver.url(), extra, odoo.url()));
        return SettingsLoader.load(Optional.of(file), Map.of());
    }

    DaemonRuntime daemon(Settings settings, WatchdogMetrics metrics) throws Exception {
        return new DaemonRuntime(settings, clock, Probe::newSession, s -> AlertWiring.alerts(s, metrics, clock), metrics,
                Pause.REAL).start();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(end);
            Thread.sleep(50);
        }
    }

    String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aStalledSchedulerIsRevivedAndTheBacklogDrainedWithinTwoProbeIntervalsAndEveryoneIsTold() throws Exception {
        SimulatedDatabase shop = shop("18.0");
        List<Integer> backlog = shop.queue(40, clock.instant().minus(Duration.ofHours(3)));
        shop.stall(Stall.SCHEDULER_INACTIVE);
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        try (DaemonRuntime daemon = daemon(settings(""), metrics)) {
            await("the first report", Duration.ofSeconds(30), () -> !daemon.board().reports().isEmpty());
            Instant firstProbe = Instant.now();
            await("the backlog drained", INTERVAL.multipliedBy(2).plusSeconds(10),
                    () -> shop.countByState().getOrDefault("outgoing", 0) == 0 && shop.mailCron().active());
            // within two probe intervals of the first probe (the 10 s above are slack for a slow machine)
            assertThat(Duration.between(firstProbe, Instant.now())).isLessThan(INTERVAL.multipliedBy(2).plusSeconds(10));

            assertThat(shop.countByState()).containsEntry("sent", backlog.size());
            assertThat(smtp.getReceivedMessages()).hasSize(backlog.size());
            assertThat(shop.duplicates()).isEmpty();

            // the next probe sees it all well again, and says so everywhere
            await("a report of the drained queue", Duration.ofSeconds(20),
                    () -> daemon.board().reports().get(0).findings().stream()
                            .allMatch(f -> f.status() == io.mailwatchdog.health.Status.PASS));
            String metricsText = get(daemon.httpPort(), "/metrics");
            assertThat(metricsText).contains("odoo_mail_messages{state=\"outgoing\",target=\"shop\"} 0.0")
                    .contains("odoo_mail_messages{state=\"sent\",target=\"shop\"} 40.0")
                    .contains("odoo_mail_scheduler_active{target=\"shop\"} 1.0")
                    .contains("odoo_mail_watchdog_actions_total{action=\"cron.revive\",outcome=\"done\",target=\"shop\"} 1.0")
                    .contains("odoo_mail_watchdog_actions_total{action=\"flush\",outcome=\"done\",target=\"shop\"} 1.0");
            JsonNode status = JSON.readTree(get(daemon.httpPort(), "/status"));
            assertThat(status.path("status").asText()).isEqualTo("PASS");
            assertThat(status.path("targets").get(0).path("queue").path("outgoing").asInt()).isZero();
            assertThat(status.path("lastActions").toString()).contains("cron.revive").contains("flush");

            await("the alerts: FAIL, then recovered", Duration.ofSeconds(20), () -> receiver.bodies.stream()
                    .anyMatch(b -> b.contains("\"check\":\"scheduler.active\"") && b.contains("\"transition\":\"recovered\"")));
            assertThat(receiver.bodies).anyMatch(b -> b.contains("\"check\":\"scheduler.active\"")
                    && b.contains("\"status\":\"FAIL\""));
        }
        assertEveryWriteJournaledFirst(backlog);
        assertThat(shop.param("odoo_mail_watchdog.lock")).as("the lock is released").isEmpty();
    }

    void assertEveryWriteJournaledFirst(List<Integer> backlog) throws Exception {
        Journal journal = Journal.open(dir.resolve("state"), "shop", clock);
        List<JournalRecord> records = journal.read(JournalQuery.all());
        Map<Long, JournalRecord> intents = new HashMap<>();
        for (JournalRecord r : records) {
            if (JournalRecord.INTENT.equals(r.type())) {
                intents.put(r.seq(), r);
            } else {
                assertThat(intents).as("the intent of outcome %s is written before it", r.seq()).containsKey(r.intentSeq());
                assertThat(intents.get(r.intentSeq()).action()).isEqualTo(r.action());
            }
        }
        assertThat(journal.openIntents()).isEmpty();
        assertThat(records).filteredOn(r -> r.type().equals(JournalRecord.INTENT)).extracting(JournalRecord::action)
                .containsSubsequence("lock.take", "cron.revive", "lock.hold", "cron.hold", "flush", "cron.restore",
                        "lock.release");
        assertThat(records).filteredOn(r -> r.action().equals("flush") && r.type().equals(JournalRecord.INTENT))
                .singleElement().satisfies(r -> assertThat(r.ids()).containsExactlyInAnyOrderElementsOf(backlog));
    }

    @Test
    void observeModeRevivesNothingAndSendsNothingButShowsTheStall() throws Exception {
        SimulatedDatabase shop = shop("16.0");
        shop.queue(5, clock.instant().minus(Duration.ofHours(3)));
        shop.stall(Stall.NUMBERCALL_EXHAUSTED);
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        try (DaemonRuntime daemon = daemon(settings("mode = observe"), metrics)) {
            await("two reports", Duration.ofSeconds(30), () -> daemon.daemon() != null && daemon.daemon().plan("shop") != null);
            Thread.sleep(INTERVAL.toMillis() * 2);
            assertThat(daemon.daemon().plan("shop").actions()).isNotEmpty();
            assertThat(daemon.daemon().plan("shop").writes()).isFalse();
            assertThat(shop.countByState()).containsEntry("outgoing", 5);
            assertThat(shop.mailCron().numbercall()).isZero();
            assertThat(smtp.getReceivedMessages()).isEmpty();
        }
        assertThat(Files.exists(Journal.file(dir.resolve("state"), "shop"))).as("no journal: nothing was written").isFalse();
    }

    @Test
    void numbercallZeroOnSixteenIsMadeUnlimitedAndNoWorkerMeansTheFlushKeepsTheQueueMoving() throws Exception {
        SimulatedDatabase shop = shop("16.0");
        shop.queue(12, clock.instant().minus(Duration.ofHours(2)));
        shop.stall(Stall.NUMBERCALL_EXHAUSTED);
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        try (DaemonRuntime daemon = daemon(settings(""), metrics)) {
            await("revived and drained", Duration.ofSeconds(30),
                    () -> shop.mailCron().numbercall() == -1 && shop.countByState().getOrDefault("outgoing", 0) == 0);
        }
        assertThat(shop.mailCron().active()).isTrue();
        assertThat(shop.duplicates()).isEmpty();
        assertThat(smtp.getReceivedMessages()).hasSize(12);
    }

    @Test
    void twoDaemonsOnOneDatabaseTakeTurnsThroughTheLockAndNoMailIsDeliveredTwice() throws Exception {
        SimulatedDatabase shop = shop("18.0");
        List<Integer> backlog = shop.queue(120, clock.instant().minus(Duration.ofHours(1)));
        shop.stall(Stall.NO_CRON_WORKER);
        shop.sendDelay(Duration.ofMillis(10)); // a batch takes a while: the two daemons' flushes would overlap
        String extra = "flush { batch-size = 20, max-batches-per-run = 2 }\nschedule.probe-interval = 1s";
        Settings a = settings(extra);
        Path secondConf = dir.resolve("second.conf");
        Files.writeString(secondConf, Files.readString(dir.resolve("watchdog.conf")).replace(dir.resolve("state").toString(),
                dir.resolve("state-b").toString()));
        Settings b = SettingsLoader.load(Optional.of(secondConf), Map.of());
        try (DaemonRuntime one = daemon(a, new WatchdogMetrics(new PrometheusRegistry(), false));
             DaemonRuntime two = daemon(b, new WatchdogMetrics(new PrometheusRegistry(), false))) {
            await("the backlog drained", Duration.ofSeconds(60),
                    () -> shop.countByState().getOrDefault("outgoing", 0) == 0);
        }
        assertThat(shop.duplicates()).as("mails delivered twice").isEmpty();
        assertThat(smtp.getReceivedMessages()).hasSize(backlog.size());
        long flushesA = Journal.open(dir.resolve("state"), "shop", clock).read(new JournalQuery("flush", null, 0)).size();
        long flushesB = Journal.open(dir.resolve("state-b"), "shop", clock).read(new JournalQuery("flush", null, 0)).size();
        assertThat(flushesA + flushesB).as("flush records of both daemons").isGreaterThanOrEqualTo(2 * (backlog.size() / 20));
        assertThat(shop.param("odoo_mail_watchdog.lock")).isEmpty();
    }

    @Test
    void aWebhookThatIsDownIsRetriedLoggedAndCountedWhileTheDaemonCarriesOn() throws Exception {
        SimulatedDatabase shop = shop("17.0");
        shop.queue(10, clock.instant().minus(Duration.ofHours(1)));
        shop.stall(Stall.SCHEDULER_INACTIVE);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("down.conf");
        Files.writeString(file, """
                state-dir = "%s"
                http { port = 0 }
                schedule { probe-interval = 1s, smtp-test-interval = 1m }
                flush { after = 1m }
                alerts { webhooks = [ { name = down, url = "http://127.0.0.1:%d/hook" } ], max-attempts = 2, first-backoff = 50ms }
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), closed, odoo.url()));
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        try (DaemonRuntime daemon = daemon(SettingsLoader.load(Optional.of(file), Map.of()), metrics)) {
            await("the queue drained", Duration.ofSeconds(30), () -> shop.countByState().getOrDefault("outgoing", 0) == 0);
            await("failed alerts counted", Duration.ofSeconds(30), () -> {
                try {
                    return get(daemon.httpPort(), "/metrics").matches(
                            "(?s).*odoo_mail_watchdog_alerts_total\\{outcome=\"failed\",webhook=\"down\"\\} [1-9].*");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(get(daemon.httpPort(), "/metrics")).contains("odoo_mail_watchdog_alert_attempts_total{webhook=\"down\"}");
        }
        assertThat(shop.mailCron().active()).isTrue();
    }

    @Test
    void aReloadToAPortThatIsTakenFallsBackToThePreviousConfigAndKeepsServing() throws Exception {
        shop("18.0");
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             DaemonRuntime daemon = daemon(settings(""), metrics)) {
            int before = daemon.httpPort();
            Settings next = settings("http.port = " + taken.getLocalPort());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> daemon.reload(next)).isInstanceOf(java.io.IOException.class);
            assertThat(daemon.settings().http().port()).isZero();
            await("the old endpoints answer", Duration.ofSeconds(10), () -> {
                try {
                    return get(daemon.httpPort(), "/healthz").startsWith("ok");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(daemon.httpPort()).isNotEqualTo(taken.getLocalPort());
            assertThat(before).isPositive();
        }
    }
}
