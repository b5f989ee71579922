package io.mailwatchdog.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retry --apply} rotates the journal once it passed journal.rotate-at; what the retry counts from stays. */
class JournalRotationAfterARetryTest {
    static final String REFUSED = "111\nConnection refused";

    @TempDir
    Path dir;
    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    ScriptedSmtpServer smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(odooClock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.port());
    }

    @AfterEach
    void stop() throws Exception {
        odoo.close();
        smtp.close();
    }

    @Test
    void aRetryPastRotateAtArchivesTheJournalAndTheNextRetryStillSeesItsRequeues() throws Exception {
        shop.exceptions(30, null, REFUSED, odooClock.instant().minus(Duration.ofMinutes(30)));
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                retry { rate-per-minute = 0, chunk-size = 10 }
                journal.rotate-at = 1KiB
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));

        CliRun run = CliRun.of("-c", conf.toString(), "retry", "--target=shop", "--apply");

        assertThat(run.exit()).as(run.all()).isZero();
        Path archives = Journal.archiveDirectory(dir.resolve("state"));
        List<Path> rotated;
        try (Stream<Path> files = Files.list(archives)) {
            rotated = files.toList();
        }
        assertThat(rotated).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("shop-")
                .endsWith(".jsonl.gz"));
        List<JournalRecord> kept = Journal.open(dir.resolve("state"), "shop", Clock.systemUTC())
                .read(JournalQuery.all().withAction("retry.requeue"));
        assertThat(kept.stream().filter(JournalRecord::isIntentRecord).mapToInt(r -> r.ids().size()).sum())
                .as("the requeues of the last days stay in the file: attempts are counted from them").isEqualTo(30);

        CliRun again = CliRun.of("-c", conf.toString(), "retry", "--target=shop");
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(shop.countByState()).containsEntry("sent", 30);
    }
}
