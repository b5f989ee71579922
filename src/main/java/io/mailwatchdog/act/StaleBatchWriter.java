package io.mailwatchdog.act;

import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.journal.ArchiveFile;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.lock.LockLost;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.MailWriter;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.recovery.StalePlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes one batch of the stale policy under the lock: archive (the re-read), journal the intent naming
 * the archive, write, journal the outcome. Outgoing mail is cancelled inside a hold of the cron, so that
 * no mail being sent turns from sent into cancel. A purge that Odoo refuses is tried again in halves,
 * down to single mails; a single refused mail is cancelled instead, journaled with the reason.
 */
final class StaleBatchWriter {

    static final String CRON_BUSY = "the mail cron is running right now (or could not be held): the rest waits for"
            + " the next run";
    /** Odoo's AccessError for a mail whose message is linked to no document (docs/odoo-facts-retry-cleanup.md §1). */
    static final String MESSAGE_UNLINK = "(Document type: Message, Operation: unlink)";
    static final String UNKNOWN_WRITE = "the call broke off: the mails may or may not be written; the next run"
            + " reconciles them";

    /**
     * How a batch ended.
     *
     * @param outcome  for the batch's report
     * @param archive  the batch's archive, or null
     * @param stop     not null: the run must stop, for this reason
     */
    record Done(String outcome, ArchiveFile archive, String stop) {
    }

    private final StaleArchiver archiver;
    private final MailWriter mails;
    private final MailQueueFlusher states;
    private final UnaryOperator<String> redact;

    StaleBatchWriter(StaleArchiver archiver, MailWriter mails, MailQueueFlusher states, UnaryOperator<String> redact) {
        this.archiver = archiver;
        this.mails = mails;
        this.states = states;
        this.redact = redact;
    }

    /** Cancels outgoing mail inside a hold: the cron cannot be sending them meanwhile. */
    Done outgoing(TargetWriter.Holds holds, StalePlan.Batch batch, int number, StaleTally tally)
            throws IOException, OdooException, LockLost {
        Optional<TargetWriter.CronHold> hold = holds.hold(batch.ids(), LockValue.Hold.CANCEL, CheckIds.QUEUE_OLDEST_OUTGOING);
        if (hold.isEmpty()) {
            tally.left(CRON_BUSY, batch.ids().size());
            return new Done("not written: " + CRON_BUSY, null, CRON_BUSY);
        }
        Done done;
        try {
            done = cancelArchived(holds, batch, number, tally);
        } catch (IOException | OdooException e) {
            releaseQuietly(holds, hold.get()); // nothing was written: the cron goes back
            throw e;
        }
        if (UNKNOWN_WRITE.equals(done.stop())) {
            return done; // the hold stays recorded: the next run restores the cron once the mails settled
        }
        if (!holds.release(hold.get())) {
            return new Done(done.outcome(), done.archive(), "the mail cron could not be restored; the hold stays recorded"
                    + " and the next run restores it");
        }
        return done;
    }

    /** Cancels or purges old exceptions; the cron never touches them, so no hold. */
    Done exceptions(TargetWriter.Holds holds, StalePlan.Batch batch, int number, StaleTally tally)
            throws IOException, OdooException {
        if (batch.action() == StalePlan.Action.CANCEL) {
            return cancelArchived(holds, batch, number, tally);
        }
        StaleArchiver.Archived archived = archiver.archive(batch.ids(), "exception", number);
        count(archived, tally);
        if (archived.file() == null) {
            return new Done("nothing written: " + nothingLeft(archived), null, null);
        }
        Map<Integer, String> instead = new LinkedHashMap<>(archived.unreadable());
        List<Integer> purgeable = archived.ids().stream().filter(id -> !instead.containsKey(id)).toList();
        int[] purged = {0};
        if (!purgeable.isEmpty()) {
            String broke = purge(holds, purgeable, batch, number, archived.file(), instead, purged);
            tally.purged(purged[0]);
            if (broke != null) {
                int notDone = purgeable.size() - purged[0] - countIn(instead, purgeable);
                tally.left(UNKNOWN_WRITE, notDone + instead.size());
                return new Done("purged " + purged[0] + "; then " + broke, archived.file(), UNKNOWN_WRITE);
            }
        }
        int cancelledInstead = 0;
        int leftOver = 0;
        Map<Integer, MailState> now = instead.isEmpty() ? Map.of() : states.states(List.copyOf(instead.keySet()));
        for (Map.Entry<Integer, String> e : instead.entrySet()) {
            MailState state = now.get(e.getKey());
            if (state == null || !"exception".equals(state.state())) {
                tally.skipped(state == null ? "gone (deleted meanwhile)" : "no longer exception (now " + state.state() + ")", 1);
                continue;
            }
            String refused = cancel(holds, List.of(e.getKey()), batch, number, archived.file(), e.getValue());
            if (UNKNOWN_WRITE.equals(refused)) {
                tally.left(UNKNOWN_WRITE, 1);
                return new Done("purged " + purged[0] + ", cancelled instead " + cancelledInstead + "; then "
                        + UNKNOWN_WRITE, archived.file(), UNKNOWN_WRITE);
            }
            if (refused != null) {
                tally.left(refused, 1);
                leftOver++;
            } else {
                tally.cancelledInsteadOfPurge(e.getValue(), 1);
                cancelledInstead++;
            }
        }
        holds.add(new ActionResult(StaleCleanup.PURGE, ActionResult.DONE, "exception batch " + number + ": " + purged[0]
                + " purged, " + cancelledInstead + " cancelled instead" + (leftOver > 0 ? ", " + leftOver + " left" : "")
                + " (archive " + archived.file().path() + ")"));
        return new Done("purged " + purged[0] + (cancelledInstead > 0 ? ", cancelled instead " + cancelledInstead : "")
                + (leftOver > 0 ? ", left " + leftOver : ""), archived.file(), null);
    }

    /** Archives the batch, then cancels the mails still in the batch's state. */
    private Done cancelArchived(TargetWriter.Holds holds, StalePlan.Batch batch, int number, StaleTally tally)
            throws IOException, OdooException {
        StaleArchiver.Archived archived = archiver.archive(batch.ids(), batch.kind().label(), number);
        count(archived, tally);
        if (archived.file() == null) {
            return new Done("nothing written: " + nothingLeft(archived), null, null);
        }
        String refused = cancel(holds, archived.ids(), batch, number, archived.file(), batch.insteadOfPurge());
        if (UNKNOWN_WRITE.equals(refused)) {
            tally.left(UNKNOWN_WRITE, archived.ids().size());
            return new Done("unknown: " + UNKNOWN_WRITE, archived.file(), UNKNOWN_WRITE);
        }
        if (refused != null) {
            tally.left(refused, archived.ids().size());
            return new Done("not written: " + refused, archived.file(), refused);
        }
        if (batch.insteadOfPurge() != null) {
            tally.cancelledInsteadOfPurge(batch.insteadOfPurge(), archived.ids().size());
        } else {
            tally.cancelled(archived.ids().size());
        }
        holds.add(new ActionResult(StaleCleanup.CANCEL, ActionResult.DONE, batch.kind().label() + " batch " + number + ": "
                + archived.ids().size() + " cancelled (archive " + archived.file().path() + ")"));
        return new Done("cancelled " + archived.ids().size() + skippedNote(archived), archived.file(), null);
    }

    /**
     * One journaled cancel; returns null when done, {@link #UNKNOWN_WRITE} when the call broke off, or
     * why Odoo refused it.
     */
    private String cancel(TargetWriter.Holds holds, List<Integer> ids, StalePlan.Batch batch, int number, ArchiveFile file,
                          String insteadOfPurge) throws IOException {
        Map<String, Object> details = details(batch.kind().label(), number, file);
        String why = batch.kind().label() + " batch " + number + ": " + ids.size() + " mail(s) " + batch.reason();
        if (insteadOfPurge != null) {
            details.put("instead_of_purge", insteadOfPurge);
            why += "; cancelled instead of purged: " + insteadOfPurge;
        }
        Journal journal = holds.journal();
        long seq = journal.intent(StaleCleanup.CANCEL, why, check(batch), ids, details);
        try {
            mails.cancel(ids);
        } catch (OdooException e) {
            String message = redact.apply(e.getMessage());
            journal.outcome(seq, e instanceof OdooFault ? Outcome.FAILED : Outcome.UNKNOWN, message, Map.of());
            holds.add(new ActionResult(StaleCleanup.CANCEL, e instanceof OdooFault ? ActionResult.FAILED : ActionResult.UNKNOWN,
                    message));
            return e instanceof OdooFault f ? refusal("the cancel", f) : UNKNOWN_WRITE;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of("cancelled", ids.size()));
        return null;
    }

    /**
     * Journaled unlinks: the whole list, then halves of a refused list, down to single mails; a single
     * refused mail goes to {@code refused} with Odoo's reason (it is cancelled instead). Returns null, or
     * {@link #UNKNOWN_WRITE} when a call broke off (the run stops: Odoo may still be deleting).
     */
    private String purge(TargetWriter.Holds holds, List<Integer> ids, StalePlan.Batch batch, int number, ArchiveFile file,
                         Map<Integer, String> refused, int[] purged) throws IOException {
        Map<String, Object> details = details("exception", number, file);
        Journal journal = holds.journal();
        long seq = journal.intent(StaleCleanup.PURGE, "exception batch " + number + ": " + ids.size() + " mail(s) "
                + batch.reason() + "; purge = true", CheckIds.QUEUE_EXCEPTIONS, ids, details);
        try {
            mails.unlink(ids);
        } catch (OdooFault fault) {
            String why = refusal("its unlink", fault);
            journal.outcome(seq, Outcome.FAILED, why + " (" + redact.apply(fault.lastLine()) + ")", Map.of());
            if (ids.size() == 1) {
                refused.put(ids.get(0), why);
                return null;
            }
            int half = ids.size() / 2;
            String broke = purge(holds, ids.subList(0, half), batch, number, file, refused, purged);
            return broke != null ? broke : purge(holds, ids.subList(half, ids.size()), batch, number, file, refused, purged);
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
            holds.add(new ActionResult(StaleCleanup.PURGE, ActionResult.UNKNOWN, redact.apply(e.getMessage())));
            return UNKNOWN_WRITE;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of("purged", ids.size()));
        purged[0] += ids.size();
        return null;
    }

    /**
     * Why Odoo refused a write, worded the same for every mail it refuses alike (the reasons are counted):
     * the fault's kind and its first line, without the record ids Odoo appends.
     */
    private String refusal(String what, OdooFault fault) {
        String text = fault.faultString();
        String gist = text.contains(MESSAGE_UNLINK) ? "its message may not be deleted " + MESSAGE_UNLINK
                : text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (gist.length() > 200) {
            gist = gist.substring(0, 200) + "…";
        }
        return "Odoo refused " + what + " (Fault " + fault.code() + "): " + redact.apply(gist);
    }

    private static Map<String, Object> details(String kind, int number, ArchiveFile file) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put("batch", number);
        d.put("archive", file.path());
        d.put("rows", file.rows());
        d.put("sha256", file.sha256());
        return d;
    }

    private static String check(StalePlan.Batch batch) {
        return batch.kind() == StalePlan.Kind.OUTGOING ? CheckIds.QUEUE_OLDEST_OUTGOING : CheckIds.QUEUE_EXCEPTIONS;
    }

    /** Mails that moved on are skipped; mails that could not be archived are left, each with its reason. */
    private static void count(StaleArchiver.Archived archived, StaleTally tally) {
        archived.movedOn().values().forEach(reason -> tally.skipped(reason, 1));
        archived.left().values().forEach(reason -> tally.left(reason, 1));
    }

    private static int countIn(Map<Integer, String> map, List<Integer> ids) {
        return (int) ids.stream().filter(map::containsKey).count();
    }

    private static String nothingLeft(StaleArchiver.Archived archived) {
        List<String> why = new ArrayList<>();
        if (!archived.movedOn().isEmpty()) {
            why.add(archived.movedOn().size() + " moved on");
        }
        if (!archived.left().isEmpty()) {
            why.add(archived.left().size() + " could not be archived");
        }
        return String.join(", ", why);
    }

    private static String skippedNote(StaleArchiver.Archived archived) {
        int moved = archived.movedOn().size();
        int left = archived.left().size();
        return (moved > 0 ? ", " + moved + " moved on" : "") + (left > 0 ? ", " + left + " left (not archivable)" : "");
    }

    private static void releaseQuietly(TargetWriter.Holds holds, TargetWriter.CronHold hold) {
        try {
            holds.release(hold);
        } catch (IOException | OdooException | LockLost e) {
            // the hold stays recorded in the lock row; the next run restores the cron
        }
    }
}
