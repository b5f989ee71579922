package io.mailwatchdog.act;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a cleanup run did with the stale mail of one kind, counted as it goes. */
final class StaleTally {

    final String kind;
    int stale;
    private int handled;
    private int cancelled;
    private int purged;
    private final Map<String, Integer> insteadOfPurge = new LinkedHashMap<>();
    private final Map<String, Integer> left = new LinkedHashMap<>();
    private final Map<String, Integer> skipped = new LinkedHashMap<>();

    StaleTally(String kind) {
        this.kind = kind;
    }

    void cancelled(int n) {
        cancelled += n;
        handled += n;
    }

    /** Cancelled although the policy asked for a purge. */
    void cancelledInsteadOfPurge(String reason, int n) {
        cancelled(n);
        merge(insteadOfPurge, reason, n);
    }

    void purged(int n) {
        purged += n;
        handled += n;
    }

    /** Stale, and still there: not written, for this reason. */
    void left(String reason, int n) {
        merge(left, reason, n);
        handled += n;
    }

    /** Not stale after all, or no longer there to clean: nothing to do. */
    void skipped(String reason, int n) {
        merge(skipped, reason, n);
        handled += n;
    }

    /** Everything not handled yet is left, for this reason (a run that stops early). */
    void rest(String reason) {
        merge(left, reason, Math.max(0, stale - handled));
        handled = Math.max(handled, stale);
    }

    StaleSummary.KindTally freeze() {
        return new StaleSummary.KindTally(kind, stale, cancelled, purged, insteadOfPurge, left, skipped);
    }

    private static void merge(Map<String, Integer> map, String reason, int n) {
        if (n > 0) {
            map.merge(reason, n, Integer::sum);
        }
    }
}
