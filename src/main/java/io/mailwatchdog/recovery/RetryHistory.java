package io.mailwatchdog.recovery;

import io.mailwatchdog.journal.JournalRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a target's journal says of earlier retries, for the pure {@link RetryPlanner}: attempts per mail,
 * the last canary, the circuit, what today's quota has spent, and the last requeue (pacing). Counted from
 * intents, not outcomes: a requeue whose outcome a crash lost may have happened, so it counts.
 *
 * @param attempts       requeues per mail id, ever
 * @param canaryPassedAt when the last canary passed (all its mails left as sent), if no canary failed to pass
 *                       and no batch tripped after it; null if none
 * @param circuitOpenAt  when a batch last tripped the circuit, if no canary passed after it; null = closed
 * @param circuitReason  why it tripped, in words
 * @param usedToday      mails requeued since 00:00 UTC of {@code now}
 * @param lastRequeueAt  the last requeue's time, null if none
 * @param lastRequeueSize how many mails it requeued
 * @param lastSendAt     the last retry send's outcome time, null if none
 */
public record RetryHistory(Map<Integer, Integer> attempts, Instant canaryPassedAt, Instant circuitOpenAt,
                           String circuitReason, int usedToday, Instant lastRequeueAt, int lastRequeueSize,
                           Instant lastSendAt) {

    public static final String REQUEUE = "retry.requeue";
    public static final String SEND = "retry.send";
    public static final String REVERT = "retry.revert";
    /** An outcome detail of {@link #SEND}: canary or chunk. */
    public static final String PHASE = "phase";
    /** An outcome detail of {@link #SEND}: true when the batch opened the circuit. */
    public static final String TRIPPED = "tripped";

    public RetryHistory {
        attempts = Map.copyOf(attempts);
    }

    public static RetryHistory empty() {
        return new RetryHistory(Map.of(), null, null, null, 0, null, 0, null);
    }

    public int attempts(int id) {
        return attempts.getOrDefault(id, 0);
    }

    /** Reads the retry records of one target's journal, oldest first. */
    public static RetryHistory from(List<JournalRecord> records, Instant now) {
        Reader reader = new Reader(now);
        records.forEach(reader);
        return reader.history();
    }

    /** Reads a journal one record at a time: a journal of many retries is far larger than the heap. */
    public static RetryHistory of(io.mailwatchdog.journal.Journal journal, Instant now) throws java.io.IOException {
        Reader reader = new Reader(now);
        journal.forEach(io.mailwatchdog.journal.JournalQuery.all(), reader);
        return reader.history();
    }

    /** Takes the records oldest first and keeps only what the history needs. */
    private static final class Reader implements java.util.function.Consumer<JournalRecord> {
        private final Instant dayStart;
        private final Map<Integer, Integer> attempts = new HashMap<>();
        private Instant canaryPassed;
        private Instant circuitOpen;
        private String circuitReason;
        private int usedToday;
        private Instant lastRequeue;
        private int lastSize;
        private Instant lastSend;

        Reader(Instant now) {
            dayStart = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        }

        @Override
        public void accept(JournalRecord r) {
            if (REQUEUE.equals(r.action()) && r.isIntentRecord()) {
                for (Integer id : r.ids()) {
                    attempts.merge(id, 1, Integer::sum);
                }
                if (!r.at().isBefore(dayStart)) {
                    usedToday += r.ids().size();
                }
                lastRequeue = r.at();
                lastSize = r.ids().size();
            } else if (SEND.equals(r.action()) && r.isOutcomeRecord()) {
                lastSend = r.at();
                boolean tripped = Boolean.TRUE.equals(r.details().get(TRIPPED));
                if (tripped) {
                    circuitOpen = r.at();
                    circuitReason = r.message();
                    canaryPassed = null;
                } else if ("canary".equals(r.details().get(PHASE))) {
                    if ("done".equals(r.outcome()) && allDelivered(r)) {
                        canaryPassed = r.at();
                        circuitOpen = null;
                        circuitReason = null;
                    } else {
                        // not tripped, yet not every mail left as sent: no pass, and an earlier one vouches no more
                        canaryPassed = null;
                    }
                }
            }
        }

        RetryHistory history() {
            return new RetryHistory(attempts, canaryPassed, circuitOpen, circuitReason, usedToday, lastRequeue, lastSize,
                    lastSend);
        }
    }


    /**
     * A canary passes only when its mails all left the queue as sent, or were deleted by auto_delete after
     * sending: the send outcome's tally ({@code sent}, {@code gone}) covers all its ids.
     */
    private static boolean allDelivered(JournalRecord r) {
        return !r.ids().isEmpty() && count(r, "sent") + count(r, "gone") == r.ids().size();
    }

    private static int count(JournalRecord r, String key) {
        return r.details().get(key) instanceof Number n ? n.intValue() : 0;
    }
}
