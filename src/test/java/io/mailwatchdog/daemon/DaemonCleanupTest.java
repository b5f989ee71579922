package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon cleans stale mail by itself where stale.enabled: old outgoing mail cancelled, old exceptions
 * purged (those Odoo refuses to delete cancelled instead), every row archived first; fresh mail untouched.
 * Off by default: without it, nothing is cleaned.
 */
class DaemonCleanupTest {

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    GreenMail smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(clock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    DaemonRuntime daemon(String extra) throws Exception {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, """
                state-dir = "%s"
                http { port = 0 }
                schedule { probe-interval = 1s, smtp-test-interval = 1m }
                flush.enabled = false
                lock { settle-interval = 100ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), extra, odoo.url()));
        Settings settings = SettingsLoader.load(Optional.of(file), Map.of());
        WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
        return new DaemonRuntime(settings, clock, Probe::newSession, s -> AlertWiring.alerts(s, metrics, clock), metrics,
                Pause.REAL).start();
    }

    @Test
    void withStaleEnabledTheDaemonCancelsOldOutgoingAndPurgesOldExceptionsArchivedFirst() throws Exception {
        Instant now = clock.instant();
        List<Integer> oldOutgoing = shop.queue(6, now.minus(Duration.ofDays(9)));
        List<Integer> freshOutgoing = shop.queue(2, now.minus(Duration.ofHours(1)));
        List<Integer> oldFailed = shop.exceptions(7, null, "111\nConnection refused", now.minus(Duration.ofDays(40)));
        int orphan = shop.addMail(Map.of("state", "exception", "model", false, "failure_reason", "111\nConnection refused",
                "create_date", now.minus(Duration.ofDays(40)), "write_date", now.minus(Duration.ofDays(40))));
        List<Integer> recentFailed = shop.exceptions(3, null, "111\nConnection refused", now.minus(Duration.ofDays(2)));

        try (DaemonRuntime daemon = daemon("stale { enabled = true, purge = true, batch-size = 4 }")) {
            DaemonEndToEndTest.await("the cleanup done", Duration.ofSeconds(40), () -> oldFailed.stream()
                    .allMatch(id -> shop.mail(id).isEmpty()) && oldOutgoing.stream()
                    .allMatch(id -> shop.mail(id).map(m -> "cancel".equals(m.get("state"))).orElse(false))
                    && shop.mail(orphan).map(m -> "cancel".equals(m.get("state"))).orElse(false));
        }
        assertThat(freshOutgoing).allSatisfy(id -> assertThat(shop.mail(id).orElseThrow()).containsEntry("state", "outgoing"));
        assertThat(recentFailed).allSatisfy(id -> assertThat(shop.mail(id).orElseThrow()).containsEntry("state", "exception"));
        List<JournalRecord> records = Journal.open(dir.resolve("state"), "shop", clock).read(JournalQuery.all());
        assertThat(records).filteredOn(r -> r.isIntentRecord() && r.action().startsWith("stale."))
                .allSatisfy(r -> assertThat(r.details()).containsKey("archive"));
        try (Stream<Path> archives = Files.walk(dir.resolve("state").resolve("archive"))) {
            assertThat(archives.filter(p -> p.toString().endsWith(".jsonl.gz"))).isNotEmpty();
        }
        assertThat(shop.mailCron().active()).isTrue();
    }

    @Test
    void withoutStaleEnabledNothingIsCleaned() throws Exception {
        List<Integer> oldOutgoing = shop.queue(3, clock.instant().minus(Duration.ofDays(9)));
        List<Integer> oldFailed = shop.exceptions(3, null, "111\nConnection refused", clock.instant().minus(Duration.ofDays(40)));

        try (DaemonRuntime daemon = daemon("")) {
            DaemonEndToEndTest.await("three probes", Duration.ofSeconds(20), () -> daemon.board().reports().size() == 1);
            Thread.sleep(3000);
        }
        assertThat(shop.countByState()).containsEntry("outgoing", oldOutgoing.size()).containsEntry("exception", oldFailed.size())
                .containsEntry("cancel", 0);
        assertThat(Files.exists(dir.resolve("state").resolve("archive"))).isFalse();
    }
}
