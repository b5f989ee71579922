package io.mailwatchdog.act;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.lock.LockBusy;
import io.mailwatchdog.lock.LockLost;
import io.mailwatchdog.lock.LockState;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.lock.TargetLock;
import io.mailwatchdog.odoo.ConfigParameterStore;
import io.mailwatchdog.odoo.CronRecord;
import io.mailwatchdog.odoo.MailCronReader;
import io.mailwatchdog.odoo.MailCronWriter;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.MailWriter;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.recovery.Plan;
import io.mailwatchdog.recovery.PlannedAction;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Executes a {@link Plan} on one target: the only class that writes to Odoo. Every write is journaled
 * first (intent fsynced, then the call, then its outcome), and all of a run's writes happen under the
 * database's lock ({@link TargetLock}).
 *
 * <p>The flush protocol, one batch at a time: record the hold (the cron's prior {@code active} and the
 * ids) in the lock row; set the cron inactive, which Odoo refuses while the cron runs, so a flush never
 * runs beside the cron; {@code process_email_queue} on the ids; wait until they settled; restore the
 * cron; clear the hold. A hold whose ids are still changing stays recorded, and the lock is kept, so
 * that the next run (or any writer, once the lease expired) restores it: a lost state-dir or a removed
 * daemon cannot leave mail stopped.
 */
public final class TargetWriter {

    private final TargetSettings target;
    private final OdooSession session;
    private final Journal journal;
    private final TargetLock lock;
    private final Clock clock;
    private final Pause pause;
    private final MailCronReader cronReader;
    private final MailCronWriter cronWriter;
    private final MailQueueFlusher flusher;
    private final UnaryOperator<String> redact;
    private final BooleanSupplier stopping;
    private final Duration quietWindow;
    /** The lock as this run holds it now; what the finally block judges (a hold left in it is never released). */
    private TargetLock.Held current;
    /**
     * The hold recorded in the row had its cron restored already (retry, cleanup): the row is left as it is
     * until the next batch records its own hold, or the run releases the lock, saving a write per batch.
     */
    private boolean holdRestored;
    /** The mail cron's id, resolved once per writer: each batch of a run would ask Odoo again. */
    private Optional<Integer> cronId;

    public TargetWriter(TargetSettings target, OdooSession session, Journal journal, String owner, Clock clock, Pause pause) {
        this(target, session, journal, owner, clock, pause, UnaryOperator.identity(), () -> false, target.lock().quietWindow());
    }

    /**
     * @param redact      masks secrets in messages that go to the journal and the results
     * @param stopping    true once the daemon stops: no new batch starts
     * @param quietWindow after a flush call that did not return, Odoo may still be sending (its request runs on
     *                    after the client gave up, up to 60 s per SMTP step): its ids count as settled only once
     *                    they stayed unchanged for this long ({@code lock.quiet-window})
     */
    public TargetWriter(TargetSettings target, OdooSession session, Journal journal, String owner, Clock clock, Pause pause,
                        UnaryOperator<String> redact, BooleanSupplier stopping, Duration quietWindow) {
        this.redact = redact;
        this.stopping = stopping;
        this.quietWindow = quietWindow;
        this.target = target;
        this.session = session;
        this.journal = journal.writtenBy(owner);
        this.clock = clock;
        this.pause = pause;
        this.lock = new TargetLock(new ConfigParameterStore(session), session.transport(), this.journal, owner,
                target.lock().lease(), clock, redact);
        this.cronReader = new MailCronReader(session);
        this.cronWriter = new MailCronWriter(session);
        this.flusher = new MailQueueFlusher(session);
    }

    public TargetLock lock() {
        return lock;
    }

    /** True once the daemon stops: no new batch starts. */
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /**
     * Settles every intent that has no outcome (a crash between intent and outcome) by reading Odoo's
     * state once it stopped changing. Runs before any new action; reads only.
     */
    public Reconciliation reconcile() throws IOException, OdooException {
        List<ActionResult> results = new ArrayList<>();
        boolean complete = true;
        List<JournalRecord> intents = journal.openIntents();
        // read after the intents: a writer whose intent is listed holds its lock from before it
        Optional<LockState> live = intents.isEmpty() ? Optional.empty()
                : lock.read().filter(l -> !l.expired() && !l.ownedBy(lock.owner()));
        for (JournalRecord open : intents) {
            String writer = Journal.writerOf(open);
            if (open.action().startsWith("lock.") && writer != null && !writer.equals(lock.owner())
                    && open.at().isAfter(clock.instant().minus(target.lock().lease()))) {
                continue; // another writer's take or release in flight (journaled before the row changes)
            }
            if (live.isPresent() && (writer == null || writer.equals(live.get().owner()))) {
                complete = false; // a live writer's intent: its outcome follows, it is not a crash
                results.add(new ActionResult("reconcile", "busy", open.action() + " #" + open.seq() + " belongs to "
                        + live.get().owner() + ", who holds the lock now"));
                continue;
            }
            try {
                settleOne(open, results);
            } catch (IllegalArgumentException settledMeanwhile) {
                // its writer wrote the outcome after the list was read
            } catch (NotSettled notYet) {
                complete = false;
            }
        }
        return new Reconciliation(results, complete);
    }

    /** Thrown by settleOne when the intent's mails still change. */
    private static final class NotSettled extends Exception {
        private static final long serialVersionUID = 1L;

        NotSettled() {
            super(null, null, false, false);
        }
    }

    private void settleOne(JournalRecord open, List<ActionResult> results) throws IOException, OdooException, NotSettled {
        {
            if (SETTLED_BY_MAIL_STATES.contains(open.action()) && !open.ids().isEmpty()) {
                Optional<Map<Integer, MailState>> settled = settler().settle(open.ids(), false);
                if (settled.isEmpty()) {
                    // Odoo may still be sending them: ask again next time
                    results.add(new ActionResult("reconcile", ActionResult.SKIPPED,
                            open.action() + " #" + open.seq() + ": its mails are still changing"));
                    throw new NotSettled();
                }
                Map<String, Object> tally = Settler.tally(open.ids(), settled.get());
                journal.outcome(open.seq(), Outcome.UNKNOWN, "reconciled after a restart: the mails settled", tally);
                results.add(new ActionResult("reconcile", ActionResult.DONE, open.action() + " #" + open.seq() + ": " + tally));
                return;
            }
            String found = switch (open.action()) {
                case "cron.revive", "cron.restore" -> cronActive().map(a -> a ? "the cron is active" : "the cron is inactive")
                        .orElse("the cron does not exist");
                case "cron.hold" -> cronActive().map(a -> a ? "the cron is active (not held)" : "the cron is inactive (held)")
                        .orElse("the cron does not exist");
                default -> lock.read().map(s -> "the lock is held by " + s.owner()).orElse("the lock is free");
            };
            journal.outcome(open.seq(), Outcome.UNKNOWN, "reconciled after a restart: " + found,
                    Map.of("reconciled", true));
            results.add(new ActionResult("reconcile", ActionResult.DONE, open.action() + " #" + open.seq() + ": " + found));
        }
    }

    /** Writes on mails: reconciled by reading where the mails are once they stopped changing. */
    static final java.util.Set<String> SETTLED_BY_MAIL_STATES = java.util.Set.of("flush", "retry.requeue", "retry.send",
            "retry.revert", "stale.cancel", "stale.purge");

    /** {@code complete} false: an intent is still unsettled, and no new action may run yet. */
    public record Reconciliation(List<ActionResult> results, boolean complete) {
    }

    private Optional<Boolean> cronActive() throws OdooException {
        Optional<Integer> id = cronReader.resolveId();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return cronReader.read(id.get()).map(CronRecord::active);
    }

    /**
     * Runs the plan's actions under the lock. The lock is released at the end unless a hold is still
     * recorded in it (the ids have not settled, or a step failed while the cron was held): then the row
     * stays, and the next run (or any writer, once the lease expired) restores the cron.
     */
    public List<ActionResult> execute(Plan plan) throws IOException, OdooException {
        if (!plan.writes()) {
            return new ArrayList<>();
        }
        return underLock("daemon", holds -> {
            for (PlannedAction action : plan.actions()) {
                switch (action.kind()) {
                    case RESTORE_HOLD -> { } // done by underLock from the lock row, the one source of truth
                    case REVIVE_CRON -> revive(action, holds.results);
                    case FLUSH_QUEUE -> flush(action, holds.results);
                }
                if (current.value().hold() != null && !holdRestored) {
                    return;
                }
            }
        });
    }


    private void finish(List<ActionResult> results) {
        if (current == null) {
            return;
        }
        if (current.value().hold() != null && !holdRestored) {
            results.add(new ActionResult("lock", "kept", "the cron stays held until the flushed mails settle;"
                    + " the next run restores it"));
            return;
        }
        try {
            lock.release(current);
        } catch (OdooException | IOException e) {
            results.add(new ActionResult("lock.release", ActionResult.UNKNOWN, redact.apply(e.getMessage())));
        }
    }

    private void revive(PlannedAction action, List<ActionResult> results) throws OdooException, IOException {
        Optional<Integer> id = cronReader.resolveId();
        Optional<CronRecord> cron = id.isEmpty() ? Optional.empty() : cronReader.read(id.get());
        if (cron.isEmpty()) {
            results.add(new ActionResult("cron.revive", ActionResult.SKIPPED, "the cron does not exist"));
            return;
        }
        CronRecord c = cron.get();
        // nextcall on Odoo's clock: a host ahead of it would schedule the revived cron in Odoo's future
        Instant serverNow = session.transport().serverTime().orElseGet(clock::instant);
        Map<String, Object> values = MailCronWriter.reviveValues(session.version(), c, serverNow);
        if (c.active() && !values.containsKey("numbercall")) {
            results.add(new ActionResult("cron.revive", ActionResult.SKIPPED, "active again already"));
            return;
        }
        long seq = journal.intent("cron.revive", action.reason(), action.check(), List.of(), Map.of("cron", c.id(),
                "values", values));
        MailCronWriter.Result r;
        try {
            r = cronWriter.write(c.id(), values);
        } catch (OdooException e) {
            journal.outcome(seq, outcomeOf(e), redact.apply(e.getMessage()), Map.of());
            results.add(new ActionResult("cron.revive", outcomeOf(e).label(), redact.apply(e.getMessage())));
            return;
        }
        if (r == MailCronWriter.Result.CRON_RUNNING) {
            journal.outcome(seq, Outcome.FAILED, "the cron is running right now: it is alive", Map.of());
            results.add(new ActionResult("cron.revive", ActionResult.SKIPPED, "the cron is running"));
            return;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of());
        results.add(new ActionResult("cron.revive", ActionResult.DONE, "cron " + c.id() + " set " + values));
    }

    /**
     * Batches of the flush protocol. Each batch: record the hold, renew and check the lock, hold the cron,
     * flush, settle, renew and check the lock, restore the cron, clear the hold. A call that did not
     * return ends the run with the hold kept: its request may still be sending inside Odoo.
     */
    private void flush(PlannedAction action, List<ActionResult> results) throws OdooException, IOException, LockLost {
        Optional<Integer> cronId = cronReader.resolveId();
        for (int batch = 0; batch < target.flush().maxBatchesPerRun(); batch++) {
            if (stopping.getAsBoolean()) {
                results.add(new ActionResult("flush", ActionResult.SKIPPED, "the daemon stops: no new batch"));
                return;
            }
            Instant serverNow = session.transport().serverTime().orElseGet(clock::instant);
            List<Integer> ids = flusher.dueBefore(serverNow.minus(target.flush().after()), target.flush().batchSize());
            if (ids.isEmpty()) {
                return;
            }
            Optional<CronRecord> cron = cronId.isEmpty() ? Optional.empty() : cronReader.read(cronId.get());
            boolean priorActive = cron.map(CronRecord::active).orElse(false);
            int cid = cron.map(CronRecord::id).orElse(0);
            // recorded (and the lock renewed and checked) right before the cron is touched
            current = lock.record(current, new LockValue.Hold(cid, priorActive, clock.instant(), ids, null));
            holdRestored = false;
            if (priorActive && !holdCron(cid, ids, action.check(), results)) {
                return;
            }
            long seq = journal.intent("flush", action.reason(), action.check(), ids,
                    Map.of("batch", batch + 1, "batch_size", target.flush().batchSize()));
            boolean returned = true;
            String error = null;
            try {
                flusher.process(ids, target.flush().callTimeout());
            } catch (OdooException e) {
                // auto_commit: mails before a failure may be sent; the re-read says which
                returned = false;
                error = redact.apply(e.getMessage());
            }
            Optional<Map<Integer, MailState>> settled = settler().settle(ids, returned);
            if (settled.isEmpty()) {
                journal.outcome(seq, Outcome.UNKNOWN, "the mails are still changing; the cron stays held until they settle"
                        + (error == null ? "" : "; " + error), Map.of());
                results.add(new ActionResult("flush", ActionResult.UNKNOWN, ids.size() + " mail(s) still changing"));
                return;
            }
            Map<String, Object> tally = Settler.tally(ids, settled.get());
            journal.outcome(seq, returned ? Outcome.DONE : Outcome.UNKNOWN, error, tally);
            results.add(new ActionResult("flush", returned ? ActionResult.DONE : ActionResult.UNKNOWN,
                    ids.size() + " mail(s): " + tally + (error == null ? "" : "; " + error)));
            if (!releaseBatch(cid, priorActive, results)) {
                return;
            }
            if (!returned) {
                return; // a call that broke off: no more batches in this run
            }
            if ((Integer) tally.get("outgoing") == ids.size()) {
                results.add(new ActionResult("flush", ActionResult.FAILED,
                        "Odoo sent none of the " + ids.size() + " mail(s); not trying more batches this run"));
                return;
            }
        }
    }

    /** Sets the cron inactive for a batch; false when it is running (the flush waits) or the write broke. */
    private boolean holdCron(int cid, List<Integer> ids, String check, List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        long seq = journal.intent("cron.hold", "a batch of " + ids.size() + " mail(s): the cron must not run beside it",
                check, List.of(), Map.of("cron", cid, "active", false));
        MailCronWriter.Result r;
        try {
            r = cronWriter.setActive(cid, false);
        } catch (OdooException e) {
            journal.outcome(seq, outcomeOf(e), redact.apply(e.getMessage()), Map.of());
            if (outcomeOf(e) == Outcome.UNKNOWN) {
                // the cron may be inactive now: the hold stays recorded until a later run settles it
                results.add(new ActionResult("flush", ActionResult.UNKNOWN, redact.apply(e.getMessage())));
                return false;
            }
            current = lock.record(current, null);
            throw e;
        }
        if (r == MailCronWriter.Result.CRON_RUNNING) {
            journal.outcome(seq, Outcome.FAILED, "the cron is running: the flush waits for the next tick", Map.of());
            current = lock.record(current, null);
            results.add(new ActionResult("flush", ActionResult.SKIPPED, "the mail cron is running; next tick"));
            return false;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of());
        return true;
    }

    /** Restores an inherited hold once its ids settled; false when they are still changing. */
    private boolean restore(LockValue.Hold hold, List<ActionResult> results) throws OdooException, IOException, LockLost {
        Optional<Map<Integer, MailState>> settled = hold.ids().isEmpty() ? Optional.of(Map.of())
                : settler().settle(hold.ids(), false);
        if (settled.isEmpty()) {
            results.add(new ActionResult("cron.restore", ActionResult.SKIPPED,
                    "the held batch's mails are still changing; restored once they settle"));
            return false;
        }
        if (hold.isRetry() && !reverter().revertOutgoing(settled.get(), "an unfinished retry batch (restart)", results)) {
            return false;
        }
        return restoreCron(hold.cronId(), hold.priorActive(), results);
    }

    private RequeueReverter reverter() {
        return new RequeueReverter(new MailWriter(session), journal, redact);
    }

    /** Work done under the target's lock, with the flush protocol's holds at hand. */
    @FunctionalInterface
    public interface LockedWork {
        void run(Holds holds) throws OdooException, IOException, LockLost;
    }

    /**
     * Takes the lock (a busy lock is the result {@code lock busy}: nothing written), restores a hold it
     * inherits, runs {@code work}, and releases the lock unless a hold is still recorded in it.
     */
    public List<ActionResult> underLock(String purpose, LockedWork work) throws IOException, OdooException {
        List<ActionResult> results = new ArrayList<>();
        try {
            current = lock.acquire(purpose);
            holdRestored = false;
        } catch (LockBusy busy) {
            results.add(new ActionResult("lock", "busy", busy.getMessage()));
            return results;
        }
        try {
            if (current.inherited().isPresent() && !restore(current.inherited().get(), results)) {
                return results;
            }
            work.run(new Holds(results));
        } catch (LockLost lost) {
            results.add(new ActionResult("lock", ActionResult.FAILED, lost.getMessage()));
            current = null;
        } finally {
            finish(results);
        }
        return results;
    }

    /** The cron held for one batch: what {@link Holds#release} puts back. */
    public record CronHold(int cronId, boolean priorActive) {
    }

    /** The flush protocol's steps for work under the lock (retry, cleanup). */
    public final class Holds {
        private final List<ActionResult> results;

        private Holds(List<ActionResult> results) {
            this.results = results;
        }

        /**
         * Records the hold (kind, ids) in the lock row, then sets the cron inactive. Empty when the cron
         * runs right now (try again next run) or the write broke; the hold then stays recorded only if
         * the cron may be inactive.
         */
        public Optional<CronHold> hold(List<Integer> ids, String kind, String check) throws OdooException, IOException, LockLost {
            if (current.value().hold() != null && !holdRestored) {
                // the recorded hold is not restored yet: overwriting it would lose what its restore needs
                throw new IllegalStateException("a hold not restored yet is recorded; no new hold before its restore");
            }
            Optional<Integer> cronId = cronId();
            Optional<CronRecord> cron = cronId.isEmpty() ? Optional.empty() : cronReader.read(cronId.get());
            boolean priorActive = cron.map(CronRecord::active).orElse(false);
            int cid = cron.map(CronRecord::id).orElse(0);
            current = lock.record(current, new LockValue.Hold(cid, priorActive, clock.instant(), ids, kind));
            holdRestored = false;
            if (priorActive && !holdCron(cid, ids, check, results)) {
                return Optional.empty(); // holdCron cleared the hold, or kept it where the cron may be held
            }
            return Optional.of(new CronHold(cid, priorActive));
        }

        /**
         * Puts the cron back, the lock checked first (and renewed only when half its lease has passed); the
         * hold stays in the row, marked restored, until the next batch's hold or the end of the run. False
         * when the cron could not be restored: the hold then stays recorded for the next run.
         */
        public boolean release(CronHold hold) throws OdooException, IOException, LockLost {
            return releaseBatch(hold.cronId(), hold.priorActive(), results);
        }

        /** Checks the lock is still this run's before a long step; renews the lease once half of it passed. */
        public void renew() throws OdooException, IOException, LockLost {
            current = lock.confirm(current);
        }

        /** Waits until these mails stopped changing; empty when they still change (after a broken call). */
        public Optional<Map<Integer, MailState>> settle(List<Integer> ids, boolean callReturned) throws OdooException {
            return settler().settle(ids, callReturned);
        }

        /** Requeued mails still outgoing go back to exception; false when that write failed. */
        public boolean revertOutgoing(Map<Integer, MailState> states, String why) throws OdooException, IOException {
            return reverter().revertOutgoing(states, why, results);
        }

        public void add(ActionResult result) {
            results.add(result);
        }

        public boolean stopping() {
            return stopping.getAsBoolean();
        }

        public Journal journal() {
            return journal;
        }

        public UnaryOperator<String> redact() {
            return redact;
        }

        public Instant serverNow() {
            return session.transport().serverTime().orElseGet(clock::instant);
        }
    }

    /**
     * Puts the cron's prior active back, then clears the hold. The lock is renewed and checked first: a
     * writer whose lease expired must not turn the cron on during another writer's flush.
     */
    private boolean restoreCron(int cronId, boolean priorActive, List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        if (priorActive) {
            current = lock.record(current, current.value().hold());
            if (!setCronActive(cronId, results)) {
                return false;
            }
        }
        current = lock.record(current, null);
        return true;
    }

    /**
     * The end of one batch: the cron back as it was (the lock checked first by a read, renewed only past half
     * its lease). The hold stays in the row, marked restored, until the next batch's hold or the release of
     * the lock: one lock-row write per batch instead of three.
     */
    private boolean releaseBatch(int cronId, boolean priorActive, List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        if (priorActive) {
            current = lock.confirm(current);
            if (!setCronActive(cronId, results)) {
                return false;
            }
        }
        holdRestored = true;
        return true;
    }

    /** Sets the held cron active again (retried while someone runs it by hand); false when it could not. */
    private boolean setCronActive(int cronId, List<ActionResult> results) throws OdooException, IOException {
        long seq = journal.intent("cron.restore", "the batch is over: the cron was active before it",
                CheckIds.SCHEDULER_ACTIVE, List.of(), Map.of("cron", cronId, "active", true));
        MailCronWriter.Result r = MailCronWriter.Result.CRON_RUNNING;
        try {
            for (int attempt = 0; attempt < 3 && r == MailCronWriter.Result.CRON_RUNNING; attempt++) {
                if (attempt > 0) {
                    pause.sleep(target.lock().settleInterval());
                }
                r = cronWriter.setActive(cronId, true);
            }
        } catch (OdooException e) {
            journal.outcome(seq, outcomeOf(e), redact.apply(e.getMessage()), Map.of());
            results.add(new ActionResult("cron.restore", outcomeOf(e).label(), redact.apply(e.getMessage())));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            journal.outcome(seq, Outcome.FAILED, "interrupted", Map.of());
            return false;
        }
        if (r == MailCronWriter.Result.CRON_RUNNING) {
            journal.outcome(seq, Outcome.FAILED, "someone runs the inactive cron by hand; the hold stays", Map.of());
            results.add(new ActionResult("cron.restore", ActionResult.FAILED, "the cron is locked; the hold stays"));
            return false;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of());
        results.add(new ActionResult("cron.restore", ActionResult.DONE, "cron " + cronId + " active again"));
        return true;
    }


    private Optional<Integer> cronId() throws OdooException {
        if (cronId == null) {
            cronId = cronReader.resolveId();
        }
        return cronId;
    }

    private Settler settler() {
        return new Settler(flusher, pause, target.lock().settleInterval(), quietWindow, target.lock().lease().dividedBy(2));
    }

    /** A refused call did nothing; a call that timed out or broke may have. */
    private static Outcome outcomeOf(OdooException e) {
        return e instanceof OdooFault ? Outcome.FAILED : Outcome.UNKNOWN;
    }
}
