package io.mailwatchdog.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTimeout;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.odoo.OdooUnreachable;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer when things break half-way (found in review, each test failed before its fix): a failed
 * read after the hold keeps the hold, a flush call that timed out is never flushed again beside
 * itself, a takeover that breaks after its delete still ends with the cron running (the revive of the
 * next run), and a writer whose lease expired never turns the cron on during the next holder's flush.
 */
class WriterFailureTest {

    static final String ME = "00000000-0000-0000-0000-00000000000a/daemon";

    @TempDir
    Path dir;

    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    GreenMail smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    Journal journal;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(odooClock);
        shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        shop.stall(Stall.NO_CRON_WORKER); // the cron is active; Odoo never runs it by itself
        journal = Journal.open(dir.resolve("state"), "shop", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    TargetSettings target(String extra) throws Exception {
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 200ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), extra, odoo.url()));
        return SettingsLoader.load(Optional.of(conf), Map.of()).targets().get(0);
    }

    static Plan flush() {
        return new Plan("shop", true, List.of(new PlannedAction(PlannedAction.Kind.FLUSH_QUEUE, "queue.oldest-outgoing",
                "test")), List.of());
    }

    /**
     * Delegates to the real transport; before the n-th call whose label matches, runs {@code before}
     * and then throws {@code failure} when one is given.
     */
    static final class InterceptingTransport implements OdooTransport {
        final OdooTransport real;
        final Predicate<String> label;
        final int on;
        final Runnable before;
        final java.util.function.Supplier<OdooException> failure;
        final AtomicInteger seen = new AtomicInteger();

        InterceptingTransport(OdooTransport real, Predicate<String> label, int on, Runnable before,
                              java.util.function.Supplier<OdooException> failure) {
            this.real = real;
            this.label = label;
            this.on = on;
            this.before = before;
            this.failure = failure;
        }

        static InterceptingTransport failing(OdooTransport real, Predicate<String> label, int on,
                                             java.util.function.Supplier<OdooException> failure) {
            return new InterceptingTransport(real, label, on, () -> { }, failure);
        }

        static InterceptingTransport hooked(OdooTransport real, String label, int on, Runnable before) {
            return new InterceptingTransport(real, label::equals, on, before, null);
        }

        @Override
        public Object call(Service service, String method, List<Object> params, Duration timeout, String l)
                throws OdooException {
            if (label.test(l) && seen.incrementAndGet() == on) {
                before.run();
                if (failure != null) {
                    throw failure.get();
                }
            }
            return real.call(service, method, params, timeout, l);
        }

        @Override
        public Duration replyTimeout() {
            return real.replyTimeout();
        }

        @Override
        public Optional<Instant> serverTime() {
            return real.serverTime();
        }

        @Override
        public long requestCount() {
            return real.requestCount();
        }

        @Override
        public String describe() {
            return real.describe();
        }
    }

    OdooSession session(TargetSettings t, OdooTransport transport) {
        return new OdooSession(transport, t.database(), t.login(), t.secret().reveal());
    }

    /**
     * Found in review: execute()'s finally releases the lock on any exception but LockLost. A read of the flushed
     * mails that fails (Odoo restarting, a read timeout) after the cron was set inactive deletes the lock row
     * that records the hold: the cron stays inactive and nobody knows it must be restored.
     */
    @Test
    void aFailedReadAfterTheHoldMustNotEraseTheHoldWhileTheCronIsInactive() throws Exception {
        TargetSettings t = target("");
        shop.queue(5, odooClock.instant().minus(Duration.ofHours(1)));
        InterceptingTransport flaky = InterceptingTransport.failing(Probe.transportFor(t), "mail.mail.search_read"::equals, 1,
                () -> new OdooUnreachable("connection refused (Odoo restarting)", null));
        TargetWriter w = new TargetWriter(t, session(t, flaky), journal, ME, Clock.systemUTC(), d -> { });

        assertThatThrownBy(() -> w.execute(flush())).isInstanceOf(OdooException.class);

        boolean cronActive = shop.mailCron().active();
        boolean holdRecorded = shop.param(LockValue.KEY).map(v -> v.contains("\"hold\"")).orElse(false);
        assertThat(cronActive || holdRecorded)
                .as("the cron is active again, or its hold is still recorded in the lock row (cron active=%s, lock=%s)",
                        cronActive, shop.param(LockValue.KEY))
                .isTrue();
    }

    /**
     * Found in review: a flush call that timed out keeps running inside Odoo. Two equal reads one settle-interval
     * apart do not prove it ended (a slow SMTP step is longer), so the next batch of the same run picks the
     * mails the first call has not reached yet and sends them a second time.
     */
    @Test
    void aTimedOutFlushIsNotFlushedAgainBesideItself() throws Exception {
        TargetSettings t = target("flush { call-timeout = 1s, max-batches-per-run = 3 }");
        shop.queue(6, odooClock.instant().minus(Duration.ofHours(1)));
        shop.sendDelay(Duration.ofMillis(700)); // an SMTP relay that takes 0.7 s per mail
        TargetWriter w = new TargetWriter(t, Probe.newSession(t), journal, ME, Clock.systemUTC(), Pause.REAL,
                x -> x, () -> false, Duration.ofSeconds(3));

        w.execute(flush());
        long end = System.currentTimeMillis() + 15_000;
        while (shop.countByState().getOrDefault("outgoing", 0) > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // let any zombie request finish
        assertThat(shop.duplicates()).as("mails delivered twice").isEmpty();
    }

    /**
     * Found in review: a takeover deletes the stale row, then creates a new one carrying its hold. If the create
     * does not happen (timeout, crash, Odoo restart), the hold exists nowhere in Odoo; the next run creates
     * a fresh lock, sees the cron inactive as its "prior" state and never restores it.
     */
    @Test
    void aTakeoverThatFailsBetweenDeleteAndCreateMustNotForgetTheHold() throws Exception {
        TargetSettings t = target("");
        List<Integer> held = shop.queue(3, odooClock.instant().minus(Duration.ofHours(2)));
        shop.mail(held.get(0)); // exists
        shop.mailCron().active(false); // held by a dead watchdog
        Instant now = odooClock.instant();
        odooClock.set(now.minus(t.lock().lease()).minusSeconds(60));
        shop.setParam(LockValue.KEY, new LockValue("dead/daemon", "daemon", "host", 1, odooClock.instant(),
                new LockValue.Hold(shop.mailCron().id(), true, odooClock.instant(), held, null)).json());
        odooClock.set(now);
        shop.mailState(held, "sent"); // its flush is long over

        InterceptingTransport flaky = InterceptingTransport.failing(Probe.transportFor(t), "ir.config_parameter.create"::equals, 1,
                () -> new OdooTimeout("read timed out"));
        TargetWriter first = new TargetWriter(t, session(t, flaky), journal, ME, Clock.systemUTC(), d -> { });
        assertThatThrownBy(() -> first.execute(flush())).isInstanceOf(OdooTimeout.class);

        // the next runs, with Odoo fine again
        TargetWriter next = new TargetWriter(t, Probe.newSession(t), journal, ME, Clock.systemUTC(), d -> { });
        next.reconcile();
        shop.queue(2, odooClock.instant().minus(Duration.ofHours(1)));
        // the probe sees the cron inactive and no hold: the planner revives it before it flushes
        Plan reviveThenFlush = new Plan("shop", true, List.of(
                new PlannedAction(PlannedAction.Kind.REVIVE_CRON, "scheduler.active", "inactive"),
                new PlannedAction(PlannedAction.Kind.FLUSH_QUEUE, "queue.oldest-outgoing", "test")), List.of());
        next.execute(reviveThenFlush);

        assertThat(shop.mailCron().active()).as("the cron runs again after the hold was lost").isTrue();
        assertThat(shop.countByState()).containsEntry("outgoing", 0);
    }

    /**
     * A writer whose lease ran out during its flush (call-timeout plus the settle bound can exceed the
     * lease) must not re-activate the cron while the writer that took over flushes with it held: the
     * lock is renewed and read back right before the restore, and a writer that lost it stops there.
     */
    @Test
    void aWriterWhoseLeaseExpiredMustNotReactivateTheCronDuringTheNewHoldersFlush() throws Exception {
        TargetSettings t = target("flush { batch-size = 50, max-batches-per-run = 1 }");
        shop.queue(5, odooClock.instant().minus(Duration.ofHours(1)));
        Instant now = odooClock.instant();
        odooClock.set(now.minus(t.lock().lease()).minusSeconds(60)); // A's lock writes are stale to everyone else
        Journal journalB = Journal.open(dir.resolve("state-b"), "shop", Clock.systemUTC());
        TargetWriter b = new TargetWriter(t, Probe.newSession(t), journalB, "other/daemon", Clock.systemUTC(), d -> { });
        java.util.concurrent.atomic.AtomicBoolean cronActiveDuringBsFlush = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Runnable beforeARestores = () -> {
            try {
                odooClock.set(now);
                shop.queue(10, now.minus(Duration.ofHours(1)));
                shop.sendDelay(Duration.ofMillis(300)); // B's flush takes ~3 s
                pool.submit(() -> b.execute(flush()));
                long end = System.currentTimeMillis() + 10_000;
                while (journalB.openIntents().stream().noneMatch(r -> r.action().equals("flush"))
                        && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // A's 2nd lock write renews its lease right before the restore (the 1st recorded the hold): B took
        // over just before it, so A finds the row gone and stops instead of turning the cron on
        InterceptingTransport hooked = InterceptingTransport.hooked(Probe.transportFor(t), "ir.config_parameter.write", 2, beforeARestores);
        TargetWriter a = new TargetWriter(t, session(t, hooked), journal, ME, Clock.systemUTC(), d -> { });
        try {
            a.execute(flush());
            long end = System.currentTimeMillis() + 10_000;
            while (journalB.openIntents().stream().anyMatch(r -> r.action().equals("flush"))
                    && System.currentTimeMillis() < end) {
                if (shop.mailCron().active()) {
                    cronActiveDuringBsFlush.set(true);
                }
                Thread.sleep(20);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(cronActiveDuringBsFlush.get()).as("the cron was active while B flushed with it held").isFalse();
    }
}
