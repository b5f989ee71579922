package io.mailwatchdog.act;

import io.mailwatchdog.config.StaleSettings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.journal.ArchiveFile;
import io.mailwatchdog.lock.LockLost;
import io.mailwatchdog.odoo.DatabaseStateReader;
import io.mailwatchdog.odoo.MailArchiveReader;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailWriter;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.StaleCandidateReader;
import io.mailwatchdog.odoo.StaleMail;
import io.mailwatchdog.recovery.StalePlan;
import io.mailwatchdog.recovery.StalePlanner;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs the stale policy on one target (issue 5): cancels outgoing mail due for too long, and cancels (or
 * purges) old exceptions, every batch archived first ({@link Archive}) and journaled (intent naming the
 * archive, fsynced, then the write, then the outcome), all under the database's lock.
 *
 * <p>Candidates are read a page at a time by id and planned by {@link StalePlanner}, so memory holds one
 * page whatever the backlog. Outgoing batches run inside a hold of the cron; exceptions need none (the
 * cron never touches them). The lock is renewed between batches. A dry-run plans the same batches and
 * writes nothing at all: no lock, no journal, no archive.
 *
 * <p>Crash safety: an intent without an outcome is settled by {@link TargetWriter#reconcile()} from the
 * mails' states ({@value #CANCEL} and {@value #PURGE} are among the actions it settles that way), and a
 * hold left in the lock row is restored by the next writer.
 *
 * <p>Use, in the daemon's write lane: {@code writer.reconcile()} (go on only when complete), then, when
 * {@code target.stale().enabled()} and the mode is act, {@code new StaleCleanup(target, writer, session,
 * Archive.of(stateDir, target.name(), clock), clock, redact).run(true,
 * target.stale().maxBatchesPerRun())}, and publish the summary's {@code results()}. A neutralized
 * database is refused here, whoever calls.
 */
public final class StaleCleanup {

    public static final String CANCEL = "stale.cancel";
    public static final String PURGE = "stale.purge";
    /** Candidates per read: a few small fields each, so a page stays far below the reply limit. */
    static final int PAGE = 1000;

    private final TargetSettings target;
    private final TargetWriter writer;
    private final OdooSession session;
    private final Archive archive;
    private final Clock clock;
    private final UnaryOperator<String> redact;

    /**
     * @param writer  the target's writer: its lock, holds, journal and stop flag (a dry-run uses only the flag)
     * @param archive where the rows go before they are written ({@code Archive.of(stateDir, target, clock)})
     * @param redact  masks secrets in messages that go to the journal and the summary
     */
    public StaleCleanup(TargetSettings target, TargetWriter writer, OdooSession session, Archive archive, Clock clock,
                        UnaryOperator<String> redact) {
        this.target = target;
        this.writer = writer;
        this.session = session;
        this.archive = archive;
        this.clock = clock;
        this.redact = redact;
    }

    /**
     * Cleans (or, with {@code apply} false, plans) the target's stale mail.
     *
     * @param apply      false: a dry-run, nothing written anywhere
     * @param maxBatches batches at most (the daemon's max-batches-per-run; the CLI: all)
     * @throws OdooException when Odoo cannot be read before anything is planned (a failure later ends the
     *                       run with {@link StaleSummary.Stop#FAILED} and what was done so far)
     */
    public StaleSummary run(boolean apply, int maxBatches) throws IOException, OdooException {
        if (new DatabaseStateReader(session).neutralized()) {
            return new Run(apply, maxBatches, Instant.EPOCH).finish(StaleSummary.Stop.NEUTRALIZED,
                    "a neutralized database (a staging copy): mail is off on purpose, nothing is cleaned", 0);
        }
        Run run = new Run(apply, maxBatches, session.transport().serverTime().orElseGet(clock::instant));
        run.count();
        StaleSettings policy = target.stale();
        int expired = apply ? archive.deleteOlderThan(policy.archiveRetention()) : archive.olderThan(policy.archiveRetention()).size();
        if (run.outgoing.stale + run.exceptions.stale == 0) {
            return run.finish(StaleSummary.Stop.NOTHING_TO_DO, "no stale mail", expired);
        }
        if (!apply) {
            try {
                run.pass(null);
            } catch (LockLost impossible) {
                throw new IllegalStateException("a dry-run holds no lock", impossible);
            }
            return run.finish(run.stop == null ? StaleSummary.Stop.PLANNED : run.stop, run.stopDetail, expired);
        }
        boolean[] started = {false};
        List<ActionResult> results = writer.underLock("cleanup", holds -> {
            started[0] = true;
            run.pass(holds);
        });
        run.results.addAll(results);
        if (results.stream().anyMatch(r -> "lock".equals(r.action()) && "busy".equals(r.outcome()))) {
            String busy = results.stream().filter(r -> "lock".equals(r.action())).findFirst().map(ActionResult::detail).orElse("");
            run.restOf(StalePlan.Kind.OUTGOING, "the lock is held by another writer");
            return run.finish(StaleSummary.Stop.LOCK_BUSY, busy, expired);
        }
        if (!started[0]) {
            run.restOf(StalePlan.Kind.OUTGOING, "an earlier write has not settled yet");
            return run.finish(StaleSummary.Stop.WAITING, describe(results), expired);
        }
        if (run.stop == null) { // the lock was lost mid-run: underLock ended the work
            String lost = describe(results);
            run.restOf(run.current, "stopped: " + lost);
            return run.finish(StaleSummary.Stop.FAILED, lost, expired);
        }
        return run.finish(run.stop, run.stopDetail, expired);
    }

    private static String describe(List<ActionResult> results) {
        return results.stream().filter(r -> !ActionResult.DONE.equals(r.outcome()))
                .map(r -> r.action() + " " + r.outcome() + (r.detail() == null ? "" : ": " + r.detail()))
                .reduce((a, b) -> a + "; " + b).orElse("nothing was done");
    }

    /** One run's progress: where paging stands, what each kind came to, the batches and archives. */
    private final class Run {
        final boolean apply;
        final int maxBatches;
        final Instant now;
        final StaleSettings policy = target.stale();
        final Instant outgoingCutoff;
        final Instant exceptionCutoff;
        final StaleCandidateReader reader = new StaleCandidateReader(session);
        final StaleTally outgoing = new StaleTally(StalePlan.Kind.OUTGOING.label());
        final StaleTally exceptions = new StaleTally(StalePlan.Kind.EXCEPTION.label());
        final List<StaleBatchReport> batches = new ArrayList<>();
        final List<ArchiveFile> archives = new ArrayList<>();
        final List<ActionResult> results = new ArrayList<>();
        StalePlan.Kind current = StalePlan.Kind.OUTGOING;
        StaleSummary.Stop stop;
        String stopDetail;

        Run(boolean apply, int maxBatches, Instant now) {
            this.apply = apply;
            this.maxBatches = maxBatches;
            this.now = now;
            this.outgoingCutoff = now.minus(policy.cancelOutgoingAfter());
            this.exceptionCutoff = now.minus(policy.exceptionsAfter());
        }

        void count() throws OdooException {
            outgoing.stale = reader.countOutgoing(outgoingCutoff, 0);
            exceptions.stale = reader.countExceptions(exceptionCutoff, 0);
        }

        StaleTally tally(StalePlan.Kind kind) {
            return kind == StalePlan.Kind.OUTGOING ? outgoing : exceptions;
        }

        /** Every kind, page by page; stops early at the batch limit, a stop of the daemon, or a failure. */
        void pass(TargetWriter.Holds holds) throws LockLost {
            StaleBatchWriter batchWriter = new StaleBatchWriter(new StaleArchiver(new MailArchiveReader(session), archive,
                    redact), new MailWriter(session), new MailQueueFlusher(session), redact);
            try {
                for (StalePlan.Kind kind : StalePlan.Kind.values()) {
                    current = kind;
                    if (!passKind(kind, holds, batchWriter)) {
                        return;
                    }
                }
                stop = apply ? StaleSummary.Stop.DONE : StaleSummary.Stop.PLANNED;
                stopDetail = !apply ? "dry-run: nothing written"
                        : outgoing.freeze().leftCount() + exceptions.freeze().leftCount() > 0
                        ? "done; some stale mail is left, each for the reason above" : "done: every stale mail was handled";
            } catch (OdooException e) {
                halt(StaleSummary.Stop.FAILED, "Odoo: " + redact.apply(e.getMessage()));
            } catch (IOException e) {
                halt(StaleSummary.Stop.FAILED, "cannot write the archive or the journal: " + e.getMessage());
            }
        }

        /** False when the run stopped. */
        private boolean passKind(StalePlan.Kind kind, TargetWriter.Holds holds, StaleBatchWriter batchWriter)
                throws IOException, OdooException, LockLost {
            int after = 0;
            int pageSize = Math.max(PAGE, policy.batchSize());
            while (true) {
                List<StaleMail> page = kind == StalePlan.Kind.OUTGOING
                        ? reader.outgoingPage(outgoingCutoff, after, pageSize)
                        : reader.exceptionPage(exceptionCutoff, after, pageSize);
                if (page.isEmpty()) {
                    return true;
                }
                StalePlan plan = StalePlanner.plan(page, policy, now);
                StaleTally tally = tally(kind);
                StalePlan.Count counted = kind == StalePlan.Kind.OUTGOING ? plan.outgoing() : plan.exceptions();
                counted.left().forEach((reason, n) -> tally.skipped("not stale: " + reason, n));
                plan.movedOn().forEach((state, n) -> tally.skipped("no longer " + kind.label() + " (now " + state + ")", n));
                for (StalePlan.Batch batch : plan.batches()) {
                    if (batches.size() >= maxBatches) {
                        halt(StaleSummary.Stop.BATCH_LIMIT, maxBatches + " batch(es) a run: the rest waits for the next run");
                        return false;
                    }
                    if (writer.stopping()) {
                        halt(StaleSummary.Stop.STOPPING, "the daemon stops: no new batch");
                        return false;
                    }
                    int number = batches.size() + 1;
                    if (holds == null) {
                        plan(batch, tally, number);
                        continue;
                    }
                    StaleBatchWriter.Done done;
                    if (kind == StalePlan.Kind.OUTGOING) {
                        done = batchWriter.outgoing(holds, batch, number, tally); // its hold renews the lock
                    } else {
                        holds.renew();
                        done = batchWriter.exceptions(holds, batch, number, tally);
                    }
                    batches.add(StaleBatchReport.of(number, batch, done.archive(), done.outcome()));
                    if (done.archive() != null) {
                        archives.add(done.archive());
                    }
                    if (StaleBatchWriter.CRON_BUSY.equals(done.stop())) {
                        tally.rest(StaleBatchWriter.CRON_BUSY); // the exceptions need no hold: they go on
                        return true;
                    }
                    if (done.stop() != null) {
                        halt(StaleSummary.Stop.FAILED, done.stop());
                        return false;
                    }
                }
                after = page.stream().mapToInt(StaleMail::id).max().orElse(after);
                if (page.size() < pageSize) {
                    return true;
                }
            }
        }

        /** A dry-run's batch: counted as it would be written. */
        private void plan(StalePlan.Batch batch, StaleTally tally, int number) {
            int n = batch.ids().size();
            if (batch.action() == StalePlan.Action.PURGE) {
                tally.purged(n);
            } else if (batch.insteadOfPurge() != null) {
                tally.cancelledInsteadOfPurge(batch.insteadOfPurge(), n);
            } else {
                tally.cancelled(n);
            }
            batches.add(StaleBatchReport.of(number, batch, null, "planned"));
        }

        private void halt(StaleSummary.Stop why, String detail) {
            stop = why;
            stopDetail = detail;
            restOf(current, why == StaleSummary.Stop.FAILED ? "stopped: " + detail : detail);
        }

        /** What was not handled, of this kind and the kinds after it, is left for this reason. */
        void restOf(StalePlan.Kind from, String reason) {
            if (from == StalePlan.Kind.OUTGOING) {
                outgoing.rest(reason);
            }
            exceptions.rest(reason);
        }

        StaleSummary finish(StaleSummary.Stop why, String detail, int expired) {
            return new StaleSummary(target.name(), apply, why, detail, outgoing.freeze(), exceptions.freeze(), batches,
                    archives, expired, results);
        }
    }
}
