package io.mailwatchdog.act;

import io.mailwatchdog.journal.ArchiveFile;
import java.util.List;
import java.util.Map;

/**
 * What a cleanup run did (or, in a dry-run, would do), per kind and per batch, what it left and why.
 *
 * @param applied         false for a dry-run: the counts are what would be done, nothing was written
 * @param stop            why the run ended
 * @param stopDetail      that in words
 * @param outgoing        outgoing mail due for too long (cancelled)
 * @param exceptions      old exceptions (cancelled, or purged)
 * @param batches         each batch, in the order run
 * @param archives        the archives written, each named in its batch's journal intents
 * @param archivesExpired archives older than archive-retention: deleted (dry-run: would be)
 * @param results         the writer's steps (lock, cron hold, each batch), for the daemon's log and /status
 */
public record StaleSummary(String target, boolean applied, Stop stop, String stopDetail, KindTally outgoing,
                           KindTally exceptions, List<StaleBatchReport> batches, List<ArchiveFile> archives,
                           int archivesExpired, List<ActionResult> results) {

    public StaleSummary {
        batches = List.copyOf(batches);
        archives = List.copyOf(archives);
        results = List.copyOf(results);
    }

    /** Why a run ended. */
    public enum Stop {
        /** No stale mail. */
        NOTHING_TO_DO,
        /** Every stale mail was handled (some may be left, each with its reason). */
        DONE,
        /** A dry-run: planned, nothing written. */
        PLANNED,
        /** max-batches-per-run reached: the rest waits for the next run. */
        BATCH_LIMIT,
        /** The daemon stops: no new batch. */
        STOPPING,
        /** Another writer holds the database's lock: nothing written. */
        LOCK_BUSY,
        /** An earlier write (a held batch) has not settled yet: nothing written. */
        WAITING,
        /** A neutralized database (a staging copy): never written. */
        NEUTRALIZED,
        /** A call or the archive failed: the run stopped; see the detail and what was left. */
        FAILED
    }

    /**
     * One kind of stale mail.
     *
     * @param stale                   stale when the run began
     * @param cancelled               cancelled, those instead of a purge included
     * @param purged                  deleted
     * @param cancelledInsteadOfPurge of the cancelled, those the policy wanted purged, per reason
     * @param left                    stale and still there, per reason
     * @param skipped                 not written because they moved on (sent meanwhile, gone) or were not stale
     */
    public record KindTally(String kind, int stale, int cancelled, int purged, Map<String, Integer> cancelledInsteadOfPurge,
                            Map<String, Integer> left, Map<String, Integer> skipped) {
        public KindTally {
            cancelledInsteadOfPurge = Map.copyOf(cancelledInsteadOfPurge);
            left = Map.copyOf(left);
            skipped = Map.copyOf(skipped);
        }

        public int leftCount() {
            return left.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Stale mail still there, all kinds, for the reasons in {@link KindTally#left}. */
    public int left() {
        return outgoing.leftCount() + exceptions.leftCount();
    }

    /** Mails cancelled or purged (dry-run: that would be). */
    public int written() {
        return outgoing.cancelled() + exceptions.cancelled() + exceptions.purged();
    }

    /** Nothing was written because another writer, an unsettled earlier write or a neutralized database forbids it. */
    public boolean refused() {
        return stop == Stop.LOCK_BUSY || stop == Stop.WAITING || stop == Stop.NEUTRALIZED;
    }
}
