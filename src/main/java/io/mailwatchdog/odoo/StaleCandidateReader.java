package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pages through the candidates of the stale policy by id, oldest first, a bounded page per request, so
 * that a million old rows never make one huge reply (and never sit in memory at once). The domains
 * select only stale mail: outgoing created and scheduled (if at all) before the cutoff, exceptions that
 * last failed before it. Only the few fields deciding needs are read; the full rows are read for the
 * archive, batch by batch ({@link MailArchiveReader}).
 */
public final class StaleCandidateReader {

    static final List<String> FIELDS = List.of("id", "state", "create_date", "scheduled_date", "write_date", "model",
            "res_id", "message_type", "is_notification", "attachment_ids");

    private final OdooSession session;

    public StaleCandidateReader(OdooSession session) {
        this.session = session;
    }

    /** Outgoing mail due since before {@code cutoff}, with an id above {@code afterId}, ascending. */
    public List<StaleMail> outgoingPage(Instant cutoff, int afterId, int limit) throws OdooException {
        return page(outgoingDomain(cutoff, afterId), limit, "stale outgoing mail");
    }

    /** Exceptions that last failed before {@code cutoff}, with an id above {@code afterId}, ascending. */
    public List<StaleMail> exceptionPage(Instant cutoff, int afterId, int limit) throws OdooException {
        return page(exceptionDomain(cutoff, afterId), limit, "stale exceptions");
    }

    public int countOutgoing(Instant cutoff, int afterId) throws OdooException {
        return count(outgoingDomain(cutoff, afterId));
    }

    public int countExceptions(Instant cutoff, int afterId) throws OdooException {
        return count(exceptionDomain(cutoff, afterId));
    }

    static List<Object> outgoingDomain(Instant cutoff, int afterId) {
        String at = OdooValues.formatDatetime(cutoff);
        return List.of(List.of("state", "=", "outgoing"), List.of("create_date", "<", at),
                "|", List.of("scheduled_date", "=", false), List.of("scheduled_date", "<", at),
                List.of("id", ">", afterId));
    }

    static List<Object> exceptionDomain(Instant cutoff, int afterId) {
        return List.of(List.of("state", "=", "exception"), List.of("write_date", "<", OdooValues.formatDatetime(cutoff)),
                List.of("id", ">", afterId));
    }

    private int count(List<Object> domain) throws OdooException {
        return OdooValues.count(session.execute("mail.mail", "search_count", List.of(domain), Map.of()), "search_count");
    }

    private List<StaleMail> page(List<Object> domain, int limit, String what) throws OdooException {
        Object reply = session.execute("mail.mail", "search_read", List.of(domain),
                Map.of("fields", FIELDS, "order", "id asc", "limit", limit));
        List<StaleMail> out = new ArrayList<>();
        for (Map<String, Object> row : OdooValues.records(reply, what)) {
            Integer resId = OdooValues.integer(row.get("res_id"), "res_id");
            out.add(new StaleMail(OdooValues.count(row.get("id"), "id"), OdooValues.str(row.get("state")),
                    OdooValues.datetime(row.get("create_date"), "create_date"),
                    OdooValues.datetime(row.get("scheduled_date"), "scheduled_date"),
                    OdooValues.datetime(row.get("write_date"), "write_date"), OdooValues.str(row.get("model")),
                    resId == null || resId == 0 ? null : resId, OdooValues.str(row.get("message_type")),
                    OdooValues.bool(row.get("is_notification")), ids(row.get("attachment_ids"))));
        }
        return out;
    }

    /** A one2many / many2many value: a list of ids, False when empty. */
    static List<Integer> ids(Object value) throws OdooProtocolError {
        if (OdooValues.isEmpty(value)) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (Object id : OdooValues.array(value, "attachment_ids")) {
            out.add(OdooValues.count(id, "attachment id"));
        }
        return out;
    }
}
