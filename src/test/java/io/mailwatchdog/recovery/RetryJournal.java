package io.mailwatchdog.recovery;

import io.mailwatchdog.journal.JournalRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written retry records of one target's journal, shaped as {@code act.RetryRun} writes them: a
 * {@code retry.requeue} intent (phase, batch) and its outcome, then a {@code retry.send} intent and its
 * outcome with the tally of the mails' states, the phase and whether the batch tripped the circuit.
 */
final class RetryJournal {

    static final String TARGET = "prod";
    /** How long a batch's send takes in these journals, from its requeue to its send's outcome. */
    static final Duration SEND_TAKES = Duration.ofSeconds(30);

    private final List<JournalRecord> records = new ArrayList<>();
    private final Map<Long, JournalRecord> intents = new LinkedHashMap<>();
    private long seq;
    private int batch;

    List<JournalRecord> records() {
        return List.copyOf(records);
    }

    RetryHistory history(Instant now) {
        return RetryHistory.from(records, now);
    }

    long intent(Instant at, String action, List<Integer> ids, Map<String, Object> details) {
        JournalRecord r = new JournalRecord(++seq, at, TARGET, JournalRecord.INTENT, action, null, "test", null, ids,
                null, null, details);
        records.add(r);
        intents.put(r.seq(), r);
        return r.seq();
    }

    RetryJournal outcome(long intentSeq, Instant at, String outcome, String message, Map<String, Object> details) {
        JournalRecord intent = intents.remove(intentSeq);
        records.add(new JournalRecord(++seq, at, TARGET, JournalRecord.OUTCOME, intent.action(), intentSeq, null, null,
                intent.ids(), outcome, message, details));
        return this;
    }

    /** A requeue whose outcome a crash lost: the intent alone. */
    RetryJournal requeueWithoutOutcome(Instant at, Integer... ids) {
        intent(at, RetryHistory.REQUEUE, List.of(ids), Map.of(RetryHistory.PHASE, "chunk", "batch", ++batch));
        return this;
    }

    /** A requeue that Odoo confirmed. */
    RetryJournal requeue(Instant at, String phase, Integer... ids) {
        long s = intent(at, RetryHistory.REQUEUE, List.of(ids), Map.of(RetryHistory.PHASE, phase, "batch", ++batch));
        return outcome(s, at, "done", null, Map.of("requeued", ids.length));
    }

    /** A requeue that Odoo refused (a fault): its intent is still in the journal. */
    RetryJournal requeueRefused(Instant at, Integer... ids) {
        long s = intent(at, RetryHistory.REQUEUE, List.of(ids), Map.of(RetryHistory.PHASE, "chunk", "batch", ++batch));
        return outcome(s, at, "failed", "Access Denied", Map.of());
    }

    /**
     * A whole batch: requeued at {@code at}, sent, its outcome {@link #SEND_TAKES} later with the mails' states.
     *
     * @param exception mails back in exception
     * @param outgoing  mails not sent (reverted to exception before the cron ran)
     */
    RetryJournal batch(Instant at, String phase, int exception, int outgoing, boolean tripped, Integer... ids) {
        return batch(at, phase, ids.length - exception - outgoing, 0, exception, outgoing, tripped, ids);
    }

    /** @param gone mails deleted by auto_delete after they were sent */
    RetryJournal batch(Instant at, String phase, int sent, int gone, int exception, int outgoing, boolean tripped,
                       Integer... ids) {
        requeue(at, phase, ids);
        long s = intent(at, RetryHistory.SEND, List.of(ids), Map.of(RetryHistory.PHASE, phase, "batch", batch));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sent", sent);
        details.put("exception", exception);
        details.put("outgoing", outgoing);
        details.put("other", 0);
        details.put("gone", gone);
        details.put(RetryHistory.PHASE, phase);
        details.put("batch", batch);
        details.put("same_signature", tripped ? exception : 0);
        details.put(RetryHistory.TRIPPED, tripped);
        String message = tripped ? phase + ": " + exception + " of " + ids.length + " failed again (" + exception
                + " the same way as before): the circuit opens" : null;
        return outcome(s, at.plus(SEND_TAKES), "done", message, details);
    }

    /** A batch whose mails were still changing when the watchdog stopped waiting: its outcome is unknown. */
    RetryJournal unsettled(Instant at, String phase, Integer... ids) {
        requeue(at, phase, ids);
        long s = intent(at, RetryHistory.SEND, List.of(ids), Map.of(RetryHistory.PHASE, phase, "batch", batch));
        return outcome(s, at.plus(SEND_TAKES), "unknown", "the mails are still changing; the cron stays held until"
                + " they settle", Map.of(RetryHistory.PHASE, phase));
    }

    /** A canary whose mails all left as sent. */
    RetryJournal canaryPassed(Instant at, Integer... ids) {
        return batch(at, "canary", 0, 0, false, ids);
    }

    /** A chunk whose mails all left as sent. */
    RetryJournal chunkSent(Instant at, Integer... ids) {
        return batch(at, "chunk", 0, 0, false, ids);
    }

    /** A canary whose mails all failed again the same way: the circuit opens. */
    RetryJournal canaryTripped(Instant at, Integer... ids) {
        return batch(at, "canary", ids.length, 0, true, ids);
    }

    /** A chunk whose mails all failed again the same way: the circuit opens. */
    RetryJournal chunkTripped(Instant at, Integer... ids) {
        return batch(at, "chunk", ids.length, 0, true, ids);
    }

    /** Ids from {@code first} to {@code first + count - 1}. */
    static Integer[] ids(int first, int count) {
        Integer[] ids = new Integer[count];
        Arrays.setAll(ids, i -> first + i);
        return ids;
    }
}
