package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.probe.Probe;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odoo picks process_email_queue's ids among only the newest due mails (10 x batch_size on 18.0+, with
 * the ICP mail.mail.queue.batch.size winning; that ICP, default 10,000, on 17.0; 10,000 on 16.0). The
 * flusher passes its ids as the context's
 * filters too, so the oldest mails of a large queue are sent (on real 18.0 with the ICP at 1, without the
 * filters the oldest mail stayed outgoing).
 */
class FlushOfOldMailUnderALargeQueueTest {

    @TempDir
    Path dir;

    final SimulatedClock clock = new SimulatedClock(Instant.now());
    GreenMail smtp;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(clock);
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"17.0", "18.0", "19.0"})
    void theOldestMailsOfALargeQueueAreSentWhenFlushedByTheirIds(String version) throws Exception {
        SimulatedDatabase db = odoo.addDatabase("big", version);
        db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        db.setParam("mail.mail.queue.batch.size", "20"); // the window: the 200 newest due (20 on 17.0)
        List<Integer> oldest = db.queue(10, clock.instant().minus(Duration.ofHours(2)));
        db.queue(250, clock.instant().minus(Duration.ofMinutes(30)));
        TargetSettings target = SimulatorTargets.targets(dir, odoo, List.of(db)).get(0);

        new MailQueueFlusher(Probe.newSession(target)).process(oldest, Duration.ofSeconds(30));

        assertThat(oldest).allSatisfy(id -> assertThat(db.mail(id).orElseThrow()).containsEntry("state", "sent"));
        assertThat(db.countByState()).containsEntry("sent", oldest.size()).containsEntry("outgoing", 250);
    }
}
