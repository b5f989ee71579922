package io.mailwatchdog.act;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.lock.LockBusy;
import io.mailwatchdog.lock.LockLost;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.lock.TargetLock;
import io.mailwatchdog.odoo.ConfigParameterStore;
import io.mailwatchdog.odoo.CronRecord;
import io.mailwatchdog.odoo.MailCronReader;
import io.mailwatchdog.odoo.MailCronWriter;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.recovery.Plan;
import io.mailwatchdog.recovery.PlannedAction;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public TargetWriter(TargetSettings target, OdooSession session, Journal journal, String owner, Clock clock, Pause pause) {
        this.target = target;
        this.session = session;
        this.journal = journal;
        this.clock = clock;
        this.pause = pause;
        this.lock = new TargetLock(new ConfigParameterStore(session), session.transport(), journal, owner,
                target.lock().lease(), clock);
        this.cronReader = new MailCronReader(session);
        this.cronWriter = new MailCronWriter(session);
        this.flusher = new MailQueueFlusher(session);
    }

    public TargetLock lock() {
        return lock;
    }

    /**
     * Settles every intent that has no outcome (a crash between intent and outcome) by reading Odoo's
     * state once it stopped changing. Runs before any new action; reads only.
     */
    public Reconciliation reconcile() throws IOException, OdooException {
        List<ActionResult> results = new ArrayList<>();
        boolean complete = true;
        for (JournalRecord open : journal.openIntents()) {
            if ("flush".equals(open.action()) && !open.ids().isEmpty()) {
                Optional<Map<Integer, MailState>> settled = settler().settle(open.ids(), false);
                if (settled.isEmpty()) {
                    complete = false; // Odoo may still be sending them: ask again next time
                    results.add(new ActionResult("reconcile", ActionResult.SKIPPED,
                            "flush #" + open.seq() + ": its mails are still changing"));
                    continue;
                }
                Map<String, Object> tally = Settler.tally(open.ids(), settled.get());
                journal.outcome(open.seq(), Outcome.UNKNOWN, "reconciled after a restart: the mails settled", tally);
                results.add(new ActionResult("reconcile", ActionResult.DONE, "flush #" + open.seq() + ": " + tally));
                continue;
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
        return new Reconciliation(results, complete);
    }

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

    /** Runs the plan's actions under the lock. A plan that may not write is not executed. */
    public List<ActionResult> execute(Plan plan) throws IOException, OdooException {
        List<ActionResult> results = new ArrayList<>();
        if (!plan.writes()) {
            return results;
        }
        TargetLock.Held held;
        try {
            held = lock.acquire("daemon");
        } catch (LockBusy busy) {
            results.add(new ActionResult("lock", "busy", busy.getMessage()));
            return results;
        }
        boolean holdOutstanding = false;
        try {
            if (held.inherited().isPresent()) {
                Optional<TargetLock.Held> after = restore(held, held.inherited().get(), results);
                if (after.isEmpty()) {
                    holdOutstanding = true;
                    return results;
                }
                held = after.get();
            }
            for (PlannedAction action : plan.actions()) {
                switch (action.kind()) {
                    case RESTORE_HOLD -> { } // done above from the lock row, the one source of truth
                    case REVIVE_CRON -> revive(action, results);
                    case FLUSH_QUEUE -> {
                        FlushRun run = flush(held, action, results);
                        held = run.held();
                        if (run.holdOutstanding()) {
                            holdOutstanding = true;
                            return results;
                        }
                    }
                }
            }
        } catch (LockLost lost) {
            results.add(new ActionResult("lock", ActionResult.FAILED, lost.getMessage()));
            return results;
        } finally {
            if (!holdOutstanding) {
                try {
                    lock.release(held);
                } catch (OdooException | IOException e) {
                    results.add(new ActionResult("lock.release", ActionResult.UNKNOWN, e.getMessage()));
                }
            }
        }
        return results;
    }

    private void revive(PlannedAction action, List<ActionResult> results) throws OdooException, IOException {
        Optional<Integer> id = cronReader.resolveId();
        Optional<CronRecord> cron = id.isEmpty() ? Optional.empty() : cronReader.read(id.get());
        if (cron.isEmpty()) {
            results.add(new ActionResult("cron.revive", ActionResult.SKIPPED, "the cron does not exist"));
            return;
        }
        CronRecord c = cron.get();
        Map<String, Object> values = MailCronWriter.reviveValues(session.version(), c, clock.instant());
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
            journal.outcome(seq, outcomeOf(e), e.getMessage(), Map.of());
            results.add(new ActionResult("cron.revive", outcomeOf(e).label(), e.getMessage()));
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

    private record FlushRun(TargetLock.Held held, boolean holdOutstanding) {
    }

    private FlushRun flush(TargetLock.Held held, PlannedAction action, List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        Optional<Integer> cronId = cronReader.resolveId();
        for (int batch = 0; batch < target.flush().maxBatchesPerRun(); batch++) {
            Instant serverNow = session.transport().serverTime().orElseGet(clock::instant);
            List<Integer> ids = flusher.dueBefore(serverNow.minus(target.flush().after()), target.flush().batchSize());
            if (ids.isEmpty()) {
                break;
            }
            Optional<CronRecord> cron = cronId.isEmpty() ? Optional.empty() : cronReader.read(cronId.get());
            boolean priorActive = cron.map(CronRecord::active).orElse(false);
            int cid = cron.map(CronRecord::id).orElse(0);
            held = lock.record(held, new LockValue.Hold(cid, priorActive, clock.instant(), ids));
            if (priorActive) {
                long seq = journal.intent("cron.hold", "a flush of " + ids.size() + " mail(s): the cron must not run beside it",
                        action.check(), List.of(), Map.of("cron", cid, "active", false));
                MailCronWriter.Result r;
                try {
                    r = cronWriter.setActive(cid, false);
                } catch (OdooException e) {
                    journal.outcome(seq, outcomeOf(e), e.getMessage(), Map.of());
                    if (outcomeOf(e) == Outcome.UNKNOWN) {
                        // the cron may be inactive now: the hold stays recorded until a re-read settles it
                        results.add(new ActionResult("flush", ActionResult.UNKNOWN, e.getMessage()));
                        return new FlushRun(held, true);
                    }
                    held = lock.record(held, null);
                    throw e;
                }
                if (r == MailCronWriter.Result.CRON_RUNNING) {
                    journal.outcome(seq, Outcome.FAILED, "the cron is running: the flush waits for the next tick", Map.of());
                    held = lock.record(held, null);
                    results.add(new ActionResult("flush", ActionResult.SKIPPED, "the mail cron is running; next tick"));
                    return new FlushRun(held, false);
                }
                journal.outcome(seq, Outcome.DONE, null, Map.of());
            }
            long seq = journal.intent("flush", action.reason(), action.check(), ids,
                    Map.of("batch", batch + 1, "batch_size", target.flush().batchSize()));
            boolean returned = true;
            String error = null;
            try {
                flusher.process(ids, target.flush().callTimeout());
            } catch (OdooFault fault) {
                // auto_commit: mails before the failure may be sent; the re-read says which
                returned = false;
                error = fault.getMessage();
            } catch (OdooException e) {
                returned = false;
                error = e.getMessage();
            }
            Optional<Map<Integer, MailState>> settled = settler().settle(ids, returned);
            if (settled.isEmpty()) {
                journal.outcome(seq, Outcome.UNKNOWN, "the mails are still changing; the cron stays held until they settle",
                        Map.of());
                results.add(new ActionResult("flush", ActionResult.UNKNOWN, ids.size() + " mail(s) still changing"));
                return new FlushRun(held, true);
            }
            Map<String, Object> tally = Settler.tally(ids, settled.get());
            journal.outcome(seq, returned ? Outcome.DONE : Outcome.UNKNOWN, error, tally);
            results.add(new ActionResult("flush", returned ? ActionResult.DONE : ActionResult.UNKNOWN,
                    ids.size() + " mail(s): " + tally + (error == null ? "" : "; " + error)));
            Optional<TargetLock.Held> restored = restoreCron(held, cid, priorActive, results);
            if (restored.isEmpty()) {
                return new FlushRun(held, true);
            }
            held = restored.get();
            int left = (Integer) tally.get("outgoing");
            if (left == ids.size()) {
                results.add(new ActionResult("flush", ActionResult.FAILED,
                        "Odoo sent none of the " + ids.size() + " mail(s); not trying more batches this run"));
                break;
            }
        }
        return new FlushRun(held, false);
    }

    /** Restores an inherited hold once its ids settled; empty when they are still changing. */
    private Optional<TargetLock.Held> restore(TargetLock.Held held, LockValue.Hold hold, List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        if (!hold.ids().isEmpty()) {
            Optional<Map<Integer, MailState>> settled = settler().settle(hold.ids(), false);
            if (settled.isEmpty()) {
                results.add(new ActionResult("cron.restore", ActionResult.SKIPPED,
                        "the held flush's mails are still changing; restored once they settle"));
                return Optional.empty();
            }
        }
        return restoreCron(held, hold.cronId(), hold.priorActive(), results);
    }

    private Optional<TargetLock.Held> restoreCron(TargetLock.Held held, int cronId, boolean priorActive,
                                                  List<ActionResult> results)
            throws OdooException, IOException, LockLost {
        if (priorActive) {
            long seq = journal.intent("cron.restore", "the flush is over: the cron was active before it",
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
                journal.outcome(seq, outcomeOf(e), e.getMessage(), Map.of());
                results.add(new ActionResult("cron.restore", outcomeOf(e).label(), e.getMessage()));
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                journal.outcome(seq, Outcome.FAILED, "interrupted", Map.of());
                return Optional.empty();
            }
            if (r == MailCronWriter.Result.CRON_RUNNING) {
                journal.outcome(seq, Outcome.FAILED, "someone runs the inactive cron by hand; the hold stays", Map.of());
                results.add(new ActionResult("cron.restore", ActionResult.FAILED, "the cron is locked; the hold stays"));
                return Optional.empty();
            }
            journal.outcome(seq, Outcome.DONE, null, Map.of());
            results.add(new ActionResult("cron.restore", ActionResult.DONE, "cron " + cronId + " active again"));
        }
        return Optional.of(lock.record(held, null));
    }

    private Settler settler() {
        return new Settler(flusher, pause, target.lock().settleInterval(), target.lock().lease().dividedBy(2));
    }

    /** A refused call did nothing; a call that timed out or broke may have. */
    private static Outcome outcomeOf(OdooException e) {
        return e instanceof OdooFault ? Outcome.FAILED : Outcome.UNKNOWN;
    }
}
