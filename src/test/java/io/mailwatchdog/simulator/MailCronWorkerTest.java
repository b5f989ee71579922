package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.odoo.OdooFault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulated cron worker running the mail scheduler, and what the watchdog sees of it meanwhile. */
class MailCronWorkerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(10);
    GreenMail smtp;
    SimulatedClock clock;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        clock = new SimulatedClock(NOW);
        odoo = new SimulatedOdoo(clock);
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    SimulatedDatabase database(String version) {
        SimulatedDatabase db = odoo.addDatabase("db" + version.replace(".", ""), version);
        db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        return db;
    }

    static Map<String, Object> revive(String version) {
        return version.startsWith("16") || version.startsWith("17")
                ? Map.of("active", true, "nextcall", "2026-11-23 12:00:00", "numbercall", -1)
                : Map.of("active", true, "nextcall", "2026-11-23 12:00:00");
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void whileARunHoldsTheCronAWriteToItAnswersOdoosLockedFault(String version) throws Exception {
        SimulatedDatabase db = database(version);
        MailCron cron = db.mailCron().stuck(true).nextcall(NOW.minusSeconds(60));
        CronRun run = db.tick().orElseThrow();
        FixtureReplayTest.waitUntil(cron::running);
        WatchdogClient client = new WatchdogClient(odoo, db.name());

        OdooFault locked = client.fault("ir.cron", "write", List.of(List.of(cron.id()), revive(version)), Map.of());
        assertThat(locked.code()).isEqualTo(2);
        assertThat(locked.faultString()).isEqualTo("Record cannot be modified right now: This cron task is currently"
                + " being executed and may not be modified Please try again in a few minutes");
        assertThat(db.tick()).as("a second worker skips the locked job").isEmpty();

        cron.release();
        assertThat(run.await(WAIT)).isTrue();
        assertThat(client.call("ir.cron", "write", List.of(List.of(cron.id()), revive(version)), Map.of())).isEqualTo(true);
        assertThat(cron.active()).isTrue();
        assertThat(cron.nextcall()).isEqualTo(NOW);
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void aRunSendsTheDueQueueAndMovesNextcallPastNowByItsInterval(String version) throws Exception {
        SimulatedDatabase db = database(version);
        db.queue(3, NOW.minus(Duration.ofHours(3)));
        MailCron cron = db.mailCron().nextcall(NOW.minus(Duration.ofMinutes(150)));

        CronRun run = db.tick().orElseThrow();

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(CronRun.Status.FULLY_DONE);
        assertThat(run.mailsProcessed()).isEqualTo(3);
        assertThat(db.countByState()).containsEntry("sent", 3);
        assertThat(cron.lastcall()).isEqualTo(NOW);
        assertThat(cron.nextcall()).as("missed calls are skipped").isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(db.tick()).as("not due again before its nextcall").isEmpty();
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0"})
    void numbercallCountsDownAndTheCronStopsAtZero(String version) throws Exception {
        SimulatedDatabase db = database(version);
        MailCron cron = db.mailCron().numbercall(1).nextcall(NOW.minusSeconds(1));

        assertThat(db.tick().orElseThrow().await(WAIT)).isTrue();

        assertThat(cron.numbercall()).isZero();
        assertThat(cron.active()).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(db.tick()).isEmpty();
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"18.0", "19.0"})
    void aRunLeavesTheProgressRowTheWatchdogReadsAfterwards(String version) throws Exception {
        SimulatedDatabase db = database(version);
        db.queue(3, NOW.minus(Duration.ofHours(1)));
        MailCron cron = db.mailCron().nextcall(NOW.minusSeconds(1));
        assertThat(db.tick().orElseThrow().await(WAIT)).isTrue();

        Object reply = new WatchdogClient(odoo, db.name()).call("ir.cron.progress", "search_read",
                List.of(List.of(List.of("cron_id", "=", cron.id()))),
                Map.of("fields", List.of("id", "create_date", "done", "remaining", "timed_out_counter"),
                        "order", "id desc", "limit", 1));

        assertThat(WatchdogClient.rows(reply)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("done", 3).containsEntry("remaining", 0).containsEntry("timed_out_counter", 0)
                .containsEntry("create_date", "2026-11-23 12:00:00"));
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0"})
    void beforeEighteenTheProgressModelDoesNotExist(String version) {
        SimulatedDatabase db = database(version);
        OdooFault fault = new WatchdogClient(odoo, db.name()).fault("ir.cron.progress", "search_read",
                List.of(List.of(List.of("cron_id", "=", db.mailCron().id()))), Map.of("limit", 1));
        assertThat(fault.code()).isEqualTo(2);
        assertThat(fault.faultString()).isEqualTo("Object ir.cron.progress doesn't exist");
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"18.0", "19.0"})
    void writingNumbercallFromEighteenOnIsTheValueErrorOfAFieldTheVersionLacks(String version) {
        SimulatedDatabase db = database(version);
        OdooFault fault = new WatchdogClient(odoo, db.name()).fault("ir.cron", "write",
                List.of(List.of(db.mailCron().id()), revive("16.0")), Map.of());
        assertThat(fault.code()).isEqualTo(1);
        assertThat(fault.lastLine()).isEqualTo("ValueError: Invalid field 'numbercall' on model 'ir.cron'");
        assertThat(db.mailCron().nextcall()).as("nothing written").isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void aBacklogLargerThanTheBatchIsDrainedInSeveralBatchesOfOneRun() throws Exception {
        SimulatedDatabase db = database("18.0").setParam("mail.mail.queue.batch.size", "2");
        db.queue(5, NOW.minus(Duration.ofHours(1)));
        db.mailCron().nextcall(NOW.minusSeconds(1));

        CronRun run = db.tick().orElseThrow();

        assertThat(run.await(WAIT)).isTrue();
        assertThat(db.countByState()).containsEntry("sent", 5);
        assertThat(db.cronProgress()).extracting(p -> p.get("done") + "/" + p.get("remaining"))
                .containsExactly("2/3", "2/1", "1/0");
    }

    @Test
    void failingRunsAreCountedAndFiveOverAWeekDeactivateTheCron() throws Exception {
        SimulatedDatabase db = database("18.0");
        MailCron cron = db.mailCron().failing(true).nextcall(NOW.minusSeconds(1));

        CronRun first = db.tick().orElseThrow();
        assertThat(first.await(WAIT)).isTrue();
        assertThat(first.status()).isEqualTo(CronRun.Status.FAILED);
        assertThat(cron.failureCount()).isEqualTo(1);
        assertThat(cron.firstFailureDate()).isEqualTo(NOW);
        assertThat(cron.lastcall()).as("18.0 sets lastcall after a failed run too").isEqualTo(NOW);
        assertThat(cron.nextcall()).isEqualTo(NOW.plus(Duration.ofHours(1)).minusSeconds(1));

        cron.failures(4, NOW.minus(Duration.ofDays(8))).nextcall(NOW.minusSeconds(1));
        assertThat(db.tick().orElseThrow().await(WAIT)).isTrue();
        assertThat(cron.active()).isFalse();
        assertThat(cron.failureCount()).isZero();

        cron.failing(false).active(true).nextcall(NOW.minusSeconds(1));
        cron.failures(2, NOW);
        assertThat(db.tick().orElseThrow().await(WAIT)).isTrue();
        assertThat(cron.failureCount()).as("a successful run resets the count").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SCHEDULER_INACTIVE", "NUMBERCALL_EXHAUSTED"})
    void aStalledSchedulerIsNeverPickedAndTheBacklogWaits(String stall) {
        SimulatedDatabase db = database("16.0");
        db.queue(2, NOW.minus(Duration.ofHours(2)));
        db.stall(Stall.valueOf(stall));

        assertThat(db.tick()).isEmpty();
        assertThat(db.countByState()).containsEntry("outgoing", 2);
    }

    @Test
    void withoutCronWorkersADueSchedulerWaitsUntilAWorkerComesBack() throws Exception {
        SimulatedDatabase db = database("18.0").cronPollPeriod(Duration.ofMillis(50));
        db.queue(2, NOW.minus(Duration.ofHours(7)));
        db.stall(Stall.NO_CRON_WORKER);
        assertThat(db.mailCron().nextcall()).isEqualTo(NOW.minus(Duration.ofHours(6)));
        Thread.sleep(200);
        assertThat(db.countByState()).containsEntry("outgoing", 2);

        db.cronWorkers(true);

        FixtureReplayTest.waitUntil(() -> NOW.equals(db.mailCron().lastcall()));
        assertThat(db.countByState()).containsEntry("sent", 2);
        assertThat(db.mailCron().nextcall()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void modulesWaitingForAnUpgradeBlockTheCronUntilTheyWaitedFiveHours() throws Exception {
        SimulatedDatabase db = database("17.0").pendingModule("sale", "to upgrade");
        db.mailCron().nextcall(NOW.minus(Duration.ofHours(1)));
        assertThat(db.tick()).isEmpty();

        db.mailCron().nextcall(NOW.minus(Duration.ofHours(6)));
        assertThat(db.tick().orElseThrow().await(WAIT)).isTrue();
        Object pending = new WatchdogClient(odoo, db.name()).call("ir.module.module", "search_read",
                List.of(List.of(List.of("state", "in", List.of("to upgrade", "to install", "to remove")))),
                Map.of("fields", List.of("name", "state"), "limit", 20));
        assertThat((Object[]) pending).as("Odoo resets the module states then").isEmpty();
    }

    @Test
    void aManualTriggerRunsTheQueueInsideTheCallAndLeavesNextcall() throws Exception {
        SimulatedDatabase db = database("18.0");
        db.queue(2, NOW.minus(Duration.ofHours(1)));
        Instant nextcall = db.mailCron().nextcall();

        Object reply = new WatchdogClient(odoo, db.name()).call("ir.cron", "method_direct_trigger",
                List.of(List.of(db.mailCron().id())), Map.of());

        assertThat(reply).isEqualTo(true);
        assertThat(db.countByState()).containsEntry("sent", 2);
        assertThat(db.mailCron().lastcall()).isEqualTo(NOW);
        assertThat(db.mailCron().nextcall()).isEqualTo(nextcall);
    }

    @Test
    void aFlushDuringTheCronsRunCanDeliverTheSameMailTwice() throws Exception {
        SimulatedDatabase db = database("18.0").sendDelay(Duration.ofMillis(300));
        List<Integer> ids = db.queue(2, NOW.minus(Duration.ofHours(1)));
        db.mailCron().nextcall(NOW.minusSeconds(1));

        CronRun run = db.tick().orElseThrow();
        CompletableFuture<Void> flush = CompletableFuture.runAsync(() -> {
            try {
                new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue",
                        List.of(ids), Map.of("batch_size", 10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        flush.get();
        assertThat(run.await(WAIT)).isTrue();

        assertThat(db.duplicates()).isNotEmpty();
    }
}
