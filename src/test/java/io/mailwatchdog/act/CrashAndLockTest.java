package io.mailwatchdog.act;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.recovery.Plan;
import io.mailwatchdog.recovery.PlannedAction;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.simulator.Stall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against the simulated Odoo after a crash and beside other writers: open intents are
 * reconciled from Odoo's state, a hold left in the lock row is restored, a stale lock of another
 * watchdog is taken over (on the server's clock), and a live one makes the run write nothing.
 */
class CrashAndLockTest {

    static final String ME = "00000000-0000-0000-0000-00000000000a/daemon";

    @TempDir
    Path dir;

    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    GreenMail smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    TargetSettings target;
    Journal journal;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(odooClock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        shop.stall(Stall.NO_CRON_WORKER);
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));
        target = SettingsLoader.load(Optional.of(conf), Map.of()).targets().get(0);
        journal = Journal.open(dir.resolve("state"), "shop", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    TargetWriter writer() {
        return new TargetWriter(target, Probe.newSession(target), journal, ME, Clock.systemUTC(), d -> { });
    }

    static Plan flush() {
        return new Plan("shop", true, List.of(new PlannedAction(PlannedAction.Kind.FLUSH_QUEUE, "queue.oldest-outgoing",
                "test")), List.of());
    }

    String holdOf(String owner, List<Integer> ids) {
        return new LockValue(owner, "daemon", "host", 1, odooClock.instant(),
                new LockValue.Hold(shop.mailCron().id(), true, odooClock.instant(), ids, null)).json();
    }

    @Test
    void aCrashBetweenIntentAndOutcomeIsReconciledAndItsHoldRestoredBeforeAnyNewAction() throws Exception {
        List<Integer> ids = shop.queue(4, odooClock.instant().minus(Duration.ofHours(1)));
        // the crash: the flush intent is on disk, Odoo sent the mails, the cron is still held, the lock is ours
        long open = journal.intent("flush", "before the crash", "queue.oldest-outgoing", ids, Map.of());
        shop.mailState(ids, "sent");
        shop.mailCron().active(false);
        shop.setParam(LockValue.KEY, holdOf(ME, ids));

        TargetWriter w = writer();
        TargetWriter.Reconciliation r = w.reconcile();
        assertThat(r.complete()).isTrue();
        assertThat(journal.openIntents()).isEmpty();
        JournalRecord outcome = journal.read(JournalQuery.all()).stream()
                .filter(x -> JournalRecord.OUTCOME.equals(x.type()) && x.intentSeq() == open).findFirst().orElseThrow();
        assertThat(outcome.message()).startsWith("reconciled after a restart");

        List<ActionResult> results = w.execute(flush());
        assertThat(results).extracting(ActionResult::action).contains("cron.restore");
        assertThat(shop.mailCron().active()).as("the held cron is active again").isTrue();
        assertThat(shop.param(LockValue.KEY)).as("the lock is released").isEmpty();
        assertThat(journal.read(JournalQuery.all())).extracting(JournalRecord::action).contains("lock.adopt");
    }

    @Test
    void aStaleLockOfAnotherWatchdogIsTakenOverOnOdoosClockAndItsHoldRestored() throws Exception {
        List<Integer> held = shop.queue(3, odooClock.instant().minus(Duration.ofHours(2)));
        shop.mailCron().active(false);
        // the row was last written longer ago than the lease: its write_date is old on Odoo's clock
        Instant now = odooClock.instant();
        odooClock.set(now.minus(target.lock().lease()).minusSeconds(60));
        shop.setParam(LockValue.KEY, holdOf("someone-else/daemon", held));
        odooClock.set(now);

        List<ActionResult> results = writer().execute(flush());

        assertThat(journal.read(JournalQuery.all())).extracting(JournalRecord::action)
                .containsSubsequence("lock.takeover", "lock.take", "cron.restore", "lock.release");
        assertThat(results).extracting(ActionResult::action).contains("cron.restore", "flush");
        assertThat(shop.mailCron().active()).isTrue();
        assertThat(shop.countByState()).containsEntry("outgoing", 0);
        assertThat(shop.duplicates()).isEmpty();
        assertThat(shop.param(LockValue.KEY)).isEmpty();
    }

    @Test
    void aLiveLockOfAnotherWriterMakesTheRunWaitAndWriteNothing() throws Exception {
        shop.queue(3, odooClock.instant().minus(Duration.ofHours(2)));
        Instant now = odooClock.instant();
        odooClock.set(now.minus(target.lock().lease()).plusSeconds(60)); // written 14 of its 15 minutes ago
        shop.setParam(LockValue.KEY, new LockValue("cli/retry", "retry", "host", 1, odooClock.instant(), null).json());
        odooClock.set(now);

        List<ActionResult> results = writer().execute(flush());

        assertThat(results).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("lock");
            assertThat(a.outcome()).isEqualTo("busy");
            assertThat(a.detail()).contains("cli/retry");
        });
        assertThat(shop.countByState()).containsEntry("outgoing", 3);
        assertThat(shop.mailCron().active()).isTrue();
        assertThat(journal.read(JournalQuery.all())).isEmpty();
    }

    @Test
    void aCronRunningWhenTheFlushWantsToHoldItMakesTheFlushWaitAndClearsTheHold() throws Exception {
        shop.queue(3, odooClock.instant().minus(Duration.ofHours(2)));
        shop.mailCron().stuck(true); // a run holds the cron's row
        shop.cronWorkers(true);
        shop.mailCron().nextcall(odooClock.instant().minusSeconds(1));
        shop.tick();
        try {
            List<ActionResult> results = writer().execute(flush());
            assertThat(results).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo("flush");
                assertThat(a.outcome()).isEqualTo(ActionResult.SKIPPED);
            });
            assertThat(shop.mailCron().active()).isTrue();
            assertThat(shop.param(LockValue.KEY)).as("no hold left behind").isEmpty();
            assertThat(journal.read(new JournalQuery("flush", null, 0))).isEmpty();
        } finally {
            shop.mailCron().release();
        }
    }
}
