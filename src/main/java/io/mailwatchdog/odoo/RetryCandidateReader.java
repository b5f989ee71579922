package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the exceptions a retry may consider: those created since a cutoff (older ones are past the
 * retry's max-age and only counted), newest first, in pages by id so that a large backlog never makes
 * one huge reply.
 */
public final class RetryCandidateReader {

    /** Rows per search_read: failure reasons can be long, and the reply limit must not be reached. */
    public static final int PAGE = 1000;

    private final OdooSession session;

    public RetryCandidateReader(OdooSession session) {
        this.session = session;
    }

    /** Exceptions created at or after {@code createdSince}, newest id first, at most {@code limit}. */
    public List<FailedMail> createdSince(Instant createdSince, int limit) throws OdooException {
        List<FailedMail> out = new ArrayList<>();
        Integer below = null;
        while (out.size() < limit) {
            List<Object> domain = new ArrayList<>(List.of(List.of("state", "=", "exception"),
                    List.of("create_date", ">=", OdooValues.formatDatetime(createdSince))));
            if (below != null) {
                domain.add(List.of("id", "<", below));
            }
            int page = Math.min(PAGE, limit - out.size());
            Object reply = session.execute("mail.mail", "search_read", List.of(domain),
                    Map.of("fields", List.of("id", "failure_type", "failure_reason", "write_date", "create_date", "model"),
                            "order", "id desc", "limit", page));
            List<Map<String, Object>> rows = OdooValues.records(reply, "retry candidates");
            for (Map<String, Object> row : rows) {
                FailedMail m = new FailedMail(OdooValues.count(row.get("id"), "id"), OdooValues.str(row.get("failure_type")),
                        OdooValues.str(row.get("failure_reason")), OdooValues.datetime(row.get("write_date"), "write_date"),
                        OdooValues.datetime(row.get("create_date"), "create_date"), OdooValues.str(row.get("model")));
                out.add(m);
                below = below == null ? m.id() : Math.min(below, m.id());
            }
            if (rows.size() < page) {
                break;
            }
        }
        return out;
    }

    /** How many exceptions were created before {@code createdBefore}: past max-age, never retried. */
    public int countCreatedBefore(Instant createdBefore) throws OdooException {
        List<Object> domain = List.of(List.of("state", "=", "exception"),
                List.of("create_date", "<", OdooValues.formatDatetime(createdBefore)));
        return OdooValues.count(session.execute("mail.mail", "search_count", List.of(domain), Map.of()), "search_count");
    }
}
