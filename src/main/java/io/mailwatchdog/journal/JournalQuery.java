package io.mailwatchdog.journal;

import java.time.Instant;

/**
 * Which records {@link Journal#read} returns: those of {@code action} (null: any) appended at or after
 * {@code since} (null: any time), and of those only the most recent {@code limit} (0: all), oldest first.
 */
public record JournalQuery(String action, Instant since, int limit) {

    public JournalQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (all) or positive, not " + limit);
        }
    }

    public static JournalQuery all() {
        return new JournalQuery(null, null, 0);
    }

    public JournalQuery withAction(String a) {
        return new JournalQuery(a, since, limit);
    }

    public JournalQuery withSince(Instant s) {
        return new JournalQuery(action, s, limit);
    }

    public JournalQuery withLimit(int n) {
        return new JournalQuery(action, since, n);
    }

    boolean matches(JournalRecord r) {
        return (action == null || action.equals(r.action())) && (since == null || !r.at().isBefore(since));
    }
}
