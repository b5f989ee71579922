package io.mailwatchdog.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An admin who set the ICP {@code mail.mail.queue.batch.size} below the retry's chunk-size (to keep Odoo's cron runs
 * short) limits how many of the ids one {@code process_email_queue} call sends: that value on 17.0, ten times it on
 * 18.0 and 19.0. A chunk of 100 then went out in part, the rest stayed outgoing and counted as failed again, and the
 * circuit opened on a working server. Each call now takes at most what Odoo will send of it.
 */
class RetryUnderAQueueBatchSizeTest {
    static final String REFUSED = "111\nConnection refused";

    @TempDir
    Path dir;
    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    ScriptedSmtpServer smtp;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(odooClock);
    }

    @AfterEach
    void stop() throws Exception {
        odoo.close();
        smtp.close();
    }

    @ParameterizedTest(name = "Odoo {0} with the ICP at {1}")
    @CsvSource({"17.0, 20", "18.0, 2", "19.0, 3"})
    void aChunkLargerThanWhatOneCallSendsIsDeliveredWholeAndTheCircuitStaysClosed(String version, String icp)
            throws Exception {
        SimulatedDatabase shop = odoo.addDatabase("shop", version);
        shop.addMailServer("relay", "127.0.0.1", smtp.port());
        shop.setParam("mail.mail.queue.batch.size", icp);
        shop.exceptions(230, null, REFUSED, odooClock.instant().minus(Duration.ofMinutes(30)));
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                retry.rate-per-minute = 0
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));

        CliRun run = CliRun.of("-c", conf.toString(), "retry", "--target=shop", "--apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("total: 230 requeued, 230 delivered").doesNotContain("circuit opens");
        assertThat(shop.countByState()).containsEntry("sent", 230).containsEntry("outgoing", 0);
        assertThat(shop.duplicates()).isEmpty();
    }
}
