package io.mailwatchdog.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.recovery.RetryRequest;
import io.mailwatchdog.simulator.Stall;
import io.mailwatchdog.testing.SimulatedShop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retry batches under a hold, at their edges: a revert that fails keeps the hold and stops the run (the next
 * group must not overwrite it), and chunks never follow a canary that sent nothing.
 */
class RetryHoldEdgesTest {
    static final String ME = "00000000-0000-0000-0000-00000000000a/daemon";
    static final String REFUSED = "111\nConnection refused";

    @TempDir
    Path dir;
    SimulatedShop sim;
    Journal journal;

    @BeforeEach
    void start() throws Exception {
        sim = new SimulatedShop("18.0");
        sim.shop.defaultSmtp("127.0.0.1", sim.smtp.port()); // no ir.mail_server: the canary is the gate
        sim.shop.stall(Stall.NO_CRON_WORKER); // cron active, never runs by itself
        journal = Journal.open(dir.resolve("state"), "shop", Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
    }

    TargetSettings target(String extra) throws Exception {
        return SettingsLoader.load(Optional.of(sim.config(dir, extra)), Map.of()).targets().get(0);
    }

    /** Fails the n-th call with the given label with a Fault 2. */
    static class Failing implements OdooTransport {
        final OdooTransport real; final String label; final int on; final AtomicInteger seen = new AtomicInteger();
        Failing(OdooTransport real, String label, int on) { this.real = real; this.label = label; this.on = on; }
        @Override public Object call(Service s, String m, List<Object> p, Duration t, String l) throws OdooException {
            if (label.equals(l) && seen.incrementAndGet() == on) {
                throw OdooFault.of(2, "Record cannot be modified right now (serialization)", "test");
            }
            return real.call(s, m, p, t, l);
        }
        @Override public Duration replyTimeout() { return real.replyTimeout(); }
        @Override public Optional<Instant> serverTime() { return real.serverTime(); }
        @Override public long requestCount() { return real.requestCount(); }
        @Override public String describe() { return real.describe(); }
    }

    RetryRun.Summary retry(TargetSettings t, OdooTransport transport) throws Exception {
        OdooSession session = new OdooSession(transport, t.database(), t.login(), t.secret().reveal());
        TargetWriter w = new TargetWriter(t, session, journal, ME, Clock.systemUTC(), d -> { });
        return new RetryRun(t, w, session, journal, Clock.systemUTC(), d -> { }, x -> x)
                .run(new RetryRequest(true, java.util.Set.of(), null, 0), List.of(), true, 100, Duration.ZERO);
    }

    /**
     * A chunk in which one mail stays outgoing (below the threshold) and whose revert write fails: the Burst goes
     * on, the next group's hold overwrites the unrestored one (priorActive read as false from the held cron).
     */
    @Test
    void aFailedRevertKeepsTheHoldAndStopsTheRunSoNoLaterGroupOverwritesIt() throws Exception {
        TargetSettings t = target("retry { rate-per-minute = 0, chunk-size = 10 }");
        Instant base = sim.clock.instant();
        sim.shop.exceptions(40, null, REFUSED, base.minus(Duration.ofMinutes(40)));
        // the newest after the canary: first in chunk 1; Odoo does not send it (scheduled in the future)
        int late = sim.shop.addMail(Map.of("state", "exception", "failure_reason", REFUSED,
                "create_date", base.minus(Duration.ofMinutes(35)), "write_date", base.minus(Duration.ofMinutes(35)),
                "scheduled_date", base.plus(Duration.ofDays(2))));
        sim.shop.exceptions(5, null, REFUSED, base.minus(Duration.ofMinutes(30)));

        RetryRun.Summary s = retry(t, new Failing(Probe.transportFor(t), "mail.mail.write", 1));
        assertThat(s.stop()).isEqualTo(RetryRun.Stop.FAILED);

        boolean held = sim.shop.param(LockValue.KEY).map(v -> v.contains(String.valueOf(late))).orElse(false);
        assertThat(!"outgoing".equals(sim.shop.mail(late).orElseThrow().get("state")) || held)
                .as("a requeued mail left outgoing must stay recorded in a hold").isTrue();
        assertThat(sim.shop.mailCron().active() || sim.shop.param(LockValue.KEY).isPresent())
                .as("the cron is active again, or its hold is recorded").isTrue();
    }

    /** The canary's mails all moved on (none still in exception): the group's chunks follow without any canary. */
    @Test
    void chunksNeverFollowACanaryThatSentNothing() throws Exception {
        TargetSettings t = target("retry { rate-per-minute = 0, chunk-size = 10 }");
        Instant base = sim.clock.instant();
        sim.shop.exceptions(30, null, REFUSED, base.minus(Duration.ofMinutes(40)));
        List<Integer> canary = sim.shop.exceptions(5, null, REFUSED, base.minus(Duration.ofMinutes(30)));
        // between the plan's read and the group's re-read the 5 newest are retried by hand in Odoo and sent
        OdooTransport real = Probe.transportFor(t);
        AtomicInteger holds = new AtomicInteger();
        OdooTransport hook = new Failing(real, "none", 0) {
            @Override public Object call(Service s, String m, List<Object> p, Duration to, String l) throws OdooException {
                if ("ir.cron.write".equals(l) && holds.incrementAndGet() == 1) {
                    sim.shop.mailState(canary, "sent");
                }
                return real.call(s, m, p, to, l);
            }
        };
        retry(t, hook);

        List<JournalRecord> sends = journal.read(JournalQuery.all().withAction("retry.send")).stream()
                .filter(JournalRecord::isIntentRecord).toList();
        assertThat(sends).as("the first mails sent after the gate are a canary").isNotEmpty();
        assertThat(sends.get(0).details()).containsEntry("phase", "canary");
    }

    /**
     * Inside one hold each chunk's mails are read once before the requeue and once after the send; the read after
     * one chunk brings the next chunk's states along: after the canary's send, its verification and 3 chunks take 4
     * reads of mail states, not 7. A mail that left exception before the read that brought its chunk is not requeued.
     */
    @Test
    void aChunksReReadComesWithThePreviousChunksVerification() throws Exception {
        TargetSettings t = target("retry { rate-per-minute = 0, chunk-size = 10 }");
        Instant base = sim.clock.instant();
        List<Integer> older = sim.shop.exceptions(30, null, REFUSED, base.minus(Duration.ofMinutes(40)));
        sim.shop.exceptions(5, null, REFUSED, base.minus(Duration.ofMinutes(30)));
        OdooTransport real = Probe.transportFor(t);
        AtomicInteger stateReads = new AtomicInteger();
        AtomicInteger sends = new AtomicInteger();
        OdooTransport counting = new Failing(real, "none", 0) {
            @Override public Object call(Service s, String m, List<Object> p, Duration to, String l) throws OdooException {
                if ("mail.mail.process_email_queue".equals(l) && sends.incrementAndGet() == 1) {
                    // while the canary sends, someone cancels a mail of the last chunk by hand
                    sim.shop.mailState(List.of(older.get(0)), "cancel");
                }
                if ("mail.mail.search_read".equals(l) && sends.get() > 0) {
                    stateReads.incrementAndGet();
                }
                return real.call(s, m, p, to, l);
            }
        };
        RetryRun.Summary summary = retry(t, counting);

        assertThat(summary.batches()).hasSize(4);
        assertThat(summary.delivered()).isEqualTo(34);
        assertThat(stateReads.get()).as("the reads of mail states after the canary's send").isEqualTo(4);
        assertThat(sim.shop.countByState()).containsEntry("cancel", 1);
    }
}
