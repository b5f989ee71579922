package io.mailwatchdog.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retry --apply} in a child JVM killed with SIGKILL in the middle of a chunk (Odoo still sending
 * it), then run again: the open intents are reconciled from Odoo's settled state, the hold it left is
 * restored, and the retry goes on; no mail is requeued after Odoo sent it, none is delivered twice, none
 * is left outgoing.
 */
class RetryCrashTest {

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    ScriptedSmtpServer smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    Path conf;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(clock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.port());
        conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 100ms, quiet-window = 1s }
                retry { rate-per-minute = 0, chunk-size = 40 }
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));
    }

    @AfterEach
    void stop() throws Exception {
        odoo.close();
        smtp.close();
    }

    @Test
    void aRetryKilledMidChunkAndRunAgainDeliversEveryMailExactlyOnce() throws Exception {
        List<Integer> failed = shop.exceptions(125, null, "111\nConnection refused", clock.instant().minus(Duration.ofMinutes(20)));
        shop.sendDelay(Duration.ofMillis(40)); // a chunk of 40 takes about 1.6 s inside Odoo

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), "io.mailwatchdog.cli.Main", "-c", conf.toString(),
                "retry", "--target", "shop", "--apply").redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        // kill it once the first chunk is being sent: its send intent is on disk and some of its mails left
        await("the first chunk in flight", () -> sendIntents() >= 2 && shop.countByState().get("sent") > 8);
        new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(shop.param(LockValue.KEY)).as("the dead run's lock and hold stay in Odoo").isPresent()
                .hasValueSatisfying(v -> assertThat(v).contains("\"kind\":\"retry\""));
        assertThat(shop.mailCron().active()).as("the cron is still held").isFalse();

        CliRun again = CliRun.of("-c", conf.toString(), "retry", "--target", "shop", "--apply");

        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.err()).contains("reconciled: retry.send");
        assertThat(shop.countByState()).containsEntry("sent", failed.size()).containsEntry("outgoing", 0)
                .containsEntry("exception", 0);
        assertThat(shop.duplicates()).isEmpty();
        assertThat(shop.deliveries()).hasSize(failed.size());
        assertThat(shop.mailCron().active()).isTrue();
        assertThat(shop.param(LockValue.KEY)).isEmpty();
        Journal journal = Journal.open(dir.resolve("state"), "shop", clock);
        assertThat(journal.openIntents()).isEmpty();
        List<Integer> requeued = journal.read(JournalQuery.all().withAction("retry.requeue")).stream()
                .filter(JournalRecord::isIntentRecord).flatMap(r -> r.ids().stream()).toList();
        assertThat(requeued).as("no mail was requeued twice").doesNotHaveDuplicates();
    }

    long sendIntents() {
        try {
            return Journal.open(dir.resolve("state"), "shop", clock).read(JournalQuery.all().withAction("retry.send"))
                    .stream().filter(JournalRecord::isIntentRecord).count();
        } catch (IOException e) {
            return 0;
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(60);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(end);
            Thread.sleep(20);
        }
    }
}
