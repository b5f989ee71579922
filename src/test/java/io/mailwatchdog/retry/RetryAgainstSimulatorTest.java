package io.mailwatchdog.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.simulator.Delivery;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import io.mailwatchdog.testing.SimulatedShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retry} against the simulated Odoo, which sends through a real (scripted) SMTP server: after an
 * outage is fixed, a canary then chunks, every mail delivered once and permanent failures left alone;
 * when the failure returns mid-way the circuit opens and nothing more is requeued.
 */
class RetryAgainstSimulatorTest {

    static final String REFUSED = "111\nConnection refused";
    static final String INVALID = "Invalid email address 'nobody'";

    @TempDir
    Path dir;

    SimulatedShop sim;
    Path conf;
    Instant now;

    @BeforeEach
    void start() throws Exception {
        sim = new SimulatedShop("18.0");
        sim.shop.addMailServer("relay", "127.0.0.1", sim.smtp.port());
        now = sim.clock.instant();
        conf = config("retry.rate-per-minute = 0");
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    Path config(String extra) throws Exception {
        return sim.config(dir, extra);
    }

    /** An outage: mails created an hour ago that failed to connect half an hour ago. */
    List<Integer> outage(int n) {
        return sim.shop.exceptions(n, null, REFUSED, now.minus(Duration.ofMinutes(30)));
    }

    CliRun retry(String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "-c";
        args[1] = conf.toString();
        args[2] = "retry";
        args[3] = "--target=shop";
        System.arraycopy(more, 0, args, 4, more.length);
        return CliRun.of(args);
    }

    List<JournalRecord> journal() throws Exception {
        return Journal.open(dir.resolve("state"), "shop", Clock.systemUTC()).read(JournalQuery.all());
    }

    @Test
    void afterTheFixACanaryThenChunksDeliverEveryMailOnceAndLeaveRecipientFailuresAlone() throws Exception {
        List<Integer> failed = outage(230);
        List<Integer> invalid = sim.shop.exceptions(3, "mail_email_invalid", INVALID, now.minus(Duration.ofMinutes(30)));

        CliRun run = retry("--apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("canary: 5 requeued, 5 delivered").contains("total: 230 requeued, 230 delivered")
                .contains("3 RECIPIENT: never retried");
        assertThat(sim.shop.countByState()).containsEntry("sent", 230).containsEntry("exception", 3).containsEntry("outgoing", 0);
        assertThat(sim.shop.duplicates()).isEmpty();
        assertThat(sim.shop.deliveries().keySet()).extracting(Delivery::recipient)
                .containsExactlyInAnyOrderElementsOf(failed.stream().map(id -> "customer" + id + "@example.com").toList());
        for (Integer id : invalid) {
            assertThat(sim.shop.mail(id).orElseThrow()).containsEntry("state", "exception").containsEntry("failure_reason", INVALID);
        }
        List<JournalRecord> requeues = journal().stream().filter(r -> "retry.requeue".equals(r.action()) && r.isIntentRecord()).toList();
        assertThat(requeues).extracting(r -> r.ids().size()).containsExactly(5, 100, 100, 25);
        assertThat(requeues.get(0).details()).containsEntry("phase", "canary");
        assertThat(requeues.get(0).ids()).as("the canary is the newest").allMatch(id -> id > failed.get(failed.size() - 6));
        assertThat(journal()).as("unpaced, the canary and the chunks after it share one hold: one lock-row write")
                .filteredOn(r -> r.isIntentRecord() && r.action().equals("lock.hold")).singleElement()
                .satisfies(r -> assertThat(r.ids()).hasSize(230));
        assertThat(sim.shop.mailCron().active()).as("the cron is restored after every batch").isTrue();
        assertThat(sim.shop.param(LockValue.KEY)).isEmpty();
    }

    @Test
    void aDryRunPrintsThePlanWithIdsPerChunkAndWritesNothing() throws Exception {
        outage(12);
        sim.shop.exceptions(2, "mail_email_invalid", INVALID, now.minus(Duration.ofMinutes(30)));
        Map<String, Integer> before = sim.shop.countByState();

        CliRun run = retry();

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("dry-run: nothing written").contains("plan: canary").contains("eligible: 12 TRANSPORT")
                .contains("canary: 5 mail(s) [").contains("chunk 1: 7 mail(s) [").contains("2 RECIPIENT: never retried");
        assertThat(sim.shop.countByState()).isEqualTo(before);
        assertThat(Files.exists(Journal.file(dir.resolve("state"), "shop"))).isFalse();
        assertThat(sim.shop.deliveryCount()).isZero();
    }

    @Test
    void whenTheFailureReturnsMidWayTheCircuitOpensAndNothingMoreIsRequeued() throws Exception {
        List<Integer> failed = outage(230);
        AtomicInteger accepted = new AtomicInteger();
        // the provider starts to throttle after 55 mails: the first chunk fails more than the threshold
        sim.smtp.rcptReply(rcpt -> rcpt.startsWith("customer") && accepted.incrementAndGet() > 55
                ? "421 4.7.0 Too many messages, slow down" : "250 2.1.5 OK");

        CliRun run = retry("--apply");
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("the circuit opened").contains("stopped: circuit open")
                .contains("mostly: RATE_LIMIT");
        Map<String, Integer> states = sim.shop.countByState();
        assertThat(states).containsEntry("sent", 55).containsEntry("outgoing", 0).containsEntry("exception", 175);
        Set<Integer> requeued = journal().stream().filter(r -> "retry.requeue".equals(r.action()) && r.isIntentRecord())
                .flatMap(r -> r.ids().stream()).collect(Collectors.toSet());
        assertThat(requeued).hasSize(105);
        assertThat(failed.stream().filter(id -> !requeued.contains(id)))
                .allSatisfy(id -> assertThat(sim.shop.mail(id).orElseThrow()).containsEntry("failure_reason", REFUSED));
        assertThat(sim.shop.duplicates()).isEmpty();

        CliRun again = retry("--apply");
        assertThat(again.exit()).as(again.all()).isEqualTo(2);
        assertThat(again.out()).contains("the circuit is open since");
        assertThat(journal().stream().filter(r -> "retry.requeue".equals(r.action()) && r.isIntentRecord()).count())
                .as("nothing more is requeued while the circuit is open").isEqualTo(2);
    }

    @Test
    void aFailingServerTestClosesTheGateAndNothingIsRequeued() throws Exception {
        outage(20);
        sim.smtp.close(); // the server is still down: its test fails with connection refused

        CliRun run = retry("--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("the gate is closed: the SMTP test of relay");
        assertThat(sim.shop.countByState()).containsEntry("exception", 20);
        assertThat(journal()).noneMatch(r -> r.action().startsWith("retry."));
    }

    @Test
    void aLockHeldByTheDaemonMakesTheCommandExitTwoAndWriteNothing() throws Exception {
        outage(20);
        sim.shop.setParam(LockValue.KEY, new LockValue("other-host-id/daemon", "daemon", "elsewhere", 42, now, null).json());

        CliRun run = retry("--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("stopped: lock busy").contains("other-host-id/daemon");
        assertThat(sim.shop.countByState()).containsEntry("exception", 20).containsEntry("outgoing", 0);
    }

    @Test
    void senderFailuresAreRetriedOnlyWhenTheOperatorNamesTheClass() throws Exception {
        String senderRefused = "Mail Delivery Failed\nMail delivery failed via SMTP server 'None'.\n"
                + "SMTPSenderRefused: (553, b'5.7.1 Sender address rejected: not owned by user', 'shop@example.com')";
        sim.shop.exceptions(4, null, senderRefused, now.minus(Duration.ofMinutes(30)));

        CliRun plain = retry("--apply");
        assertThat(plain.exit()).as(plain.all()).isZero();
        assertThat(plain.out()).contains("4 SENDER: SENDER: only an operator's retry --class SENDER --apply");
        assertThat(sim.shop.countByState()).containsEntry("exception", 4);

        CliRun named = retry("--apply", "--class", "SENDER");
        assertThat(named.exit()).as(named.all()).isZero();
        assertThat(sim.shop.countByState()).containsEntry("sent", 4);
    }

    /**
     * An admin who set the ICP {@code mail.mail.queue.batch.size} below the retry's chunk-size (to keep Odoo's cron
     * runs short) limits how many of the ids one {@code process_email_queue} call sends: that value on 17.0, ten
     * times it on 18.0 and 19.0. A chunk of 100 then went out in part, the rest stayed outgoing and counted as
     * failed again, and the circuit opened on a working server. Each call now takes at most what Odoo sends of it.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "Odoo {0} with the ICP at {1}")
    @org.junit.jupiter.params.provider.CsvSource({"17.0, 20", "18.0, 2", "19.0, 3"})
    void aChunkLargerThanWhatOneCallSendsIsDeliveredWholeAndTheCircuitStaysClosed(String version, String icp)
            throws Exception {
        try (SimulatedOdoo server = new SimulatedOdoo(sim.clock)) { // version() is the server's, not a database's
            SimulatedDatabase db = server.addDatabase("shop", version);
            db.addMailServer("relay", "127.0.0.1", sim.smtp.port());
            db.setParam("mail.mail.queue.batch.size", icp);
            db.exceptions(230, null, REFUSED, now.minus(Duration.ofMinutes(30)));
            Path file = dir.resolve("v.conf");
            Files.writeString(file, """
                    state-dir = "%s"
                    lock { settle-interval = 50ms }
                    retry.rate-per-minute = 0
                    targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                    """.formatted(dir.resolve("state"), server.url()));

            CliRun run = CliRun.of("-c", file.toString(), "retry", "--target=shop", "--apply");

            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(run.out()).contains("total: 230 requeued, 230 delivered").doesNotContain("circuit opens");
            assertThat(db.countByState()).containsEntry("sent", 230).containsEntry("outgoing", 0);
            assertThat(db.duplicates()).isEmpty();
        }
    }

    /** {@code retry --apply} rotates the journal once it passed journal.rotate-at; what the retry counts from stays. */
    @Test
    void aRetryPastRotateAtArchivesTheJournalAndTheNextRetryStillSeesItsRequeues() throws Exception {
        outage(30);
        conf = config("retry { rate-per-minute = 0, chunk-size = 10 }\njournal.rotate-at = 1KiB");
        old40DaysAgo(20);

        CliRun run = retry("--apply");

        assertThat(run.exit()).as(run.all()).isZero();
        List<Path> rotated;
        try (java.util.stream.Stream<Path> files = Files.list(Journal.archiveDirectory(dir.resolve("state")))) {
            rotated = files.toList();
        }
        assertThat(rotated).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("shop-")
                .endsWith(".jsonl.gz"));
        assertThat(journal()).noneMatch(r -> r.action().equals("flush")).as("the old records went");
        List<JournalRecord> kept = journal().stream().filter(r -> r.action().equals("retry.requeue"))
                .filter(JournalRecord::isIntentRecord).toList();
        assertThat(kept.stream().mapToInt(r -> r.ids().size()).sum())
                .as("the requeues of the last days stay in the file: attempts are counted from them").isEqualTo(30);

        CliRun again = retry();
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(sim.shop.countByState()).containsEntry("sent", 30);
    }

    /** Settled flushes of 40 days ago in the journal: what a rotation drops. */
    void old40DaysAgo(int pairs) throws Exception {
        Journal old = Journal.open(dir.resolve("state"), "shop", Clock.fixed(now.minus(Duration.ofDays(40)),
                java.time.ZoneOffset.UTC));
        for (int i = 0; i < pairs; i++) {
            long seq = old.intent("flush", "an old flush", null, List.of(i), Map.of());
            old.outcome(seq, io.mailwatchdog.journal.Outcome.DONE, null, Map.of());
        }
    }

    /** A rotation that fails (here: its folder cannot be made) is logged; the retry's summary and exit stay. */
    @Test
    void aRotationThatFailsDoesNotHideWhatTheRetryDid() throws Exception {
        outage(30);
        conf = config("retry { rate-per-minute = 0, chunk-size = 10 }\njournal.rotate-at = 1KiB");
        old40DaysAgo(20);
        Files.writeString(Journal.archiveDirectory(dir.resolve("state")), "a file where the folder would go");

        CliRun run = retry("--apply");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("total: 30 requeued, 30 delivered");
        assertThat(journal()).isNotEmpty();
    }
}
