package io.mailwatchdog.recovery;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the stale policy does with one set of candidates: batches to cancel or purge, in id order, and
 * per kind how many and why anything is left. Each batch is archived, then written, under the lock.
 *
 * @param batches    outgoing cancels first, then the exceptions' cancels (those cancelled instead of
 *                   purged among them) and purges
 * @param outgoing   the outgoing candidates' counts
 * @param exceptions the exception candidates' counts
 * @param movedOn    candidates in neither state any more (sent, cancelled meanwhile), per state
 */
public record StalePlan(List<Batch> batches, Count outgoing, Count exceptions, Map<String, Integer> movedOn) {

    public StalePlan {
        batches = List.copyOf(batches);
        movedOn = Map.copyOf(movedOn);
    }

    /** Which state a stale mail was found in. */
    public enum Kind {
        OUTGOING, EXCEPTION;

        /** {@code outgoing} / {@code exception}: Odoo's state, the journal's {@code kind}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What is written: cancel keeps the row (state cancel), purge deletes it (unlink). */
    public enum Action {
        CANCEL, PURGE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One write of at most batch-size mails.
     *
     * @param reason         why these mails, in words
     * @param insteadOfPurge for a cancel: why it is not the purge the policy asked for; else null
     */
    public record Batch(Kind kind, Action action, List<Integer> ids, String reason, String insteadOfPurge) {
        public Batch {
            ids = List.copyOf(ids);
        }
    }

    /**
     * The candidates of one kind.
     *
     * @param cancel               planned cancels, those instead of a purge included
     * @param purge                planned purges
     * @param cancelInsteadOfPurge of the cancels, those the policy wanted purged, per reason
     * @param left                 candidates not planned, per reason (not stale yet, scheduled for later)
     */
    public record Count(Kind kind, int candidates, int cancel, int purge, Map<String, Integer> cancelInsteadOfPurge,
                        Map<String, Integer> left) {
        public Count {
            cancelInsteadOfPurge = Map.copyOf(cancelInsteadOfPurge);
            left = Map.copyOf(left);
        }
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Every planned mail, all batches together. */
    public int planned() {
        return batches.stream().mapToInt(b -> b.ids().size()).sum();
    }
}
