package io.mailwatchdog.odoo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends chosen mails through Odoo's own queue processing, and reads back where they went. Only the
 * flush protocol (one writer, the cron held) may call {@link #process}: two flushes at once deliver
 * the same mail twice (ODOO-NOTES.md §5).
 */
public final class MailQueueFlusher {

    /** The ICP {@code mail.mail.queue.batch.size} is read again after this long: an admin may change it. */
    static final Duration BATCH_SIZE_REREAD = Duration.ofMinutes(10);
    static final String BATCH_SIZE_KEY = "mail.mail.queue.batch.size";

    private final OdooSession session;
    private java.util.OptionalInt icpBatchSize;
    private long icpReadAt;

    public MailQueueFlusher(OdooSession session) {
        this.session = session;
    }

    /**
     * Outgoing mails due since before {@code cutoff}, oldest first: created before it, and scheduled
     * (if at all) before it. Mail that Odoo may be sending right after its commit is younger.
     */
    public List<Integer> dueBefore(Instant cutoff, int limit) throws OdooException {
        String at = OdooValues.formatDatetime(cutoff);
        List<Object> domain = List.of(List.of("state", "=", "outgoing"), List.of("create_date", "<=", at),
                "|", List.of("scheduled_date", "=", false), List.of("scheduled_date", "<=", at));
        Object reply = session.execute("mail.mail", "search", List.of(domain), Map.of("order", "id asc", "limit", limit));
        List<Integer> ids = new ArrayList<>();
        for (Object id : OdooValues.array(reply, "mail.mail search")) {
            ids.add(OdooValues.count(id, "id"));
        }
        return ids;
    }

    /**
     * {@code process_email_queue} on these ids, passed positionally (the keyword differs per version),
     * with {@code batch_size} only where the version has it. Its marshal-None fault means done.
     *
     * <p>The ids are also given as the context's {@code filters} (a domain Odoo appends to its own, in
     * 16.0-19.0): Odoo picks the ids among only the newest due mails (10 x batch_size on 18.0+, the ICP
     * mail.mail.queue.batch.size winning; 10,000 on 16.0), so without it old mails under a large queue
     * would not be sent at all (seen on 18.0 with mail.mail.queue.batch.size = 1).
     */
    public void process(List<Integer> ids, Duration timeout) throws OdooException {
        // a call sends at most so many of its ids (OdooVersion#processQueueIdsPerCall): more go in more calls, or
        // the rest would stay outgoing (and a retry would count them as failed again)
        java.util.OptionalInt icp;
        try {
            icp = icpBatchSize();
        } catch (OdooException unread) {
            icp = java.util.OptionalInt.empty(); // as before it was read: no send may fail for want of it
        }
        int perCall = Math.max(1, session.version().processQueueIdsPerCall(icp, ids.size()));
        // one deadline for all the calls of these ids: the lock's lease outlasts one call-timeout, not n of them
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int from = 0; from < ids.size(); from += perCall) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return; // the rest stays outgoing: the caller settles and reverts it as unsent
            }
            List<Integer> part = List.copyOf(ids.subList(from, Math.min(ids.size(), from + perCall)));
            Map<String, Object> kwargs = new java.util.LinkedHashMap<>();
            if (session.version().processQueueTakesBatchSize()) {
                kwargs.put("batch_size", Math.max(1, part.size()));
            }
            kwargs.put("context", Map.of("filters", List.of(List.of("id", "in", part))));
            session.executeReturningNone("mail.mail", "process_email_queue", List.of(part), kwargs,
                    from == 0 ? timeout : Duration.ofNanos(left));
        }
    }

    /** The ICP that limits a call, where the version reads it (17.0+); read once per {@link #BATCH_SIZE_REREAD}. */
    private java.util.OptionalInt icpBatchSize() throws OdooException {
        if (!session.version().processQueueReadsBatchSizeParam()) {
            return java.util.OptionalInt.empty();
        }
        if (icpBatchSize == null || System.nanoTime() - icpReadAt > BATCH_SIZE_REREAD.toNanos()) {
            java.util.OptionalInt value = java.util.OptionalInt.empty();
            java.util.Optional<ConfigParameter> row = new ConfigParameterStore(session).find(BATCH_SIZE_KEY);
            if (row.isPresent() && row.get().value() != null) {
                String text = row.get().value().strip();
                // Python's int() also takes digits grouped by underscores ("1_000")
                if (text.matches("[+-]?\\d+(_\\d+)*")) {
                    text = text.replace("_", "");
                }
                try {
                    value = java.util.OptionalInt.of(Integer.parseInt(text));
                } catch (NumberFormatException notANumber) {
                    value = java.util.OptionalInt.empty(); // Odoo's int() would fail the call itself
                }
            }
            icpBatchSize = value;
            icpReadAt = System.nanoTime();
        }
        return icpBatchSize;
    }

    /** The states of these ids; an id absent from the map is gone (auto_delete after sending). */
    public Map<Integer, MailState> states(List<Integer> ids) throws OdooException {
        Object reply = session.execute("mail.mail", "search_read", List.of(List.of(List.of("id", "in", List.copyOf(ids)))),
                Map.of("fields", List.of("id", "state", "failure_type", "failure_reason")));
        Map<Integer, MailState> out = new LinkedHashMap<>();
        for (Map<String, Object> r : OdooValues.records(reply, "mail.mail states")) {
            int id = OdooValues.count(r.get("id"), "id");
            out.put(id, new MailState(id, OdooValues.str(r.get("state")), OdooValues.str(r.get("failure_type")),
                    OdooValues.str(r.get("failure_reason"))));
        }
        return out;
    }
}
