package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the shape of the {@code mail.mail} queue with a constant number of requests, whatever its
 * size: grouped counts instead of one count per state, bounded samples instead of whole tables.
 */
public final class MailQueueReader {

    static final String CREATE_HOUR = "create_date:hour";
    static final String SCHEDULED_HOUR = "scheduled_date:hour";

    private final OdooSession session;

    public MailQueueReader(OdooSession session) {
        this.session = session;
    }

    /** One grouped call: read_group (16.0–18.0) or formatted_read_group (19.0, no DeprecationWarning). */
    public MailStateCounts countByState() throws OdooException {
        Object reply = session.version().prefersFormattedReadGroup()
                ? session.execute("mail.mail", "formatted_read_group",
                        List.of(List.of(), List.of("state"), List.of("__count")), Map.of())
                : session.execute("mail.mail", "read_group",
                        List.of(List.of(), List.of("state"), List.of("state")), Map.of("lazy", false));
        Map<String, Integer> counts = new HashMap<>();
        for (Map<String, Object> row : OdooValues.records(reply, "mail.mail state counts")) {
            String state = OdooValues.str(row.get("state"));
            Object count = row.containsKey("__count") ? row.get("__count") : row.get("state_count");
            if (state != null) {
                counts.merge(state, OdooValues.count(count, "mail.mail state counts"), Integer::sum);
            }
        }
        return new MailStateCounts(counts);
    }

    /**
     * The due outgoing mail created first (bounded sample). The oldest by due age is among them unless
     * more than {@code limit} older mails were all scheduled later; {@link DueHourGroup}s bound that case.
     */
    public List<DueMail> oldestDue(Instant now, int limit) throws OdooException {
        Object reply = session.execute("mail.mail", "search_read", List.of(Domains.due(now)),
                Map.of("fields", List.of("id", "create_date", "scheduled_date"), "order", "create_date asc, id asc",
                        "limit", limit));
        List<DueMail> out = new ArrayList<>();
        for (Map<String, Object> row : OdooValues.records(reply, "oldest due mail")) {
            Instant created = OdooValues.datetime(row.get("create_date"), "create_date");
            out.add(new DueMail(OdooValues.count(row.get("id"), "id"), created == null ? now : created,
                    OdooValues.datetime(row.get("scheduled_date"), "scheduled_date")));
        }
        return out;
    }

    /** Due outgoing mail counted per (create hour, scheduled hour): the qshape histogram in one call. */
    public List<DueHourGroup> dueByHour(Instant now) throws OdooException {
        List<Object> groupBy = List.of(CREATE_HOUR, SCHEDULED_HOUR);
        Object reply = session.version().prefersFormattedReadGroup()
                ? session.execute("mail.mail", "formatted_read_group",
                        List.of(Domains.due(now), groupBy, List.of("__count")), Map.of())
                : session.execute("mail.mail", "read_group",
                        List.of(Domains.due(now), List.of("__count"), groupBy), Map.of("lazy", false));
        List<DueHourGroup> out = new ArrayList<>();
        for (Map<String, Object> row : OdooValues.records(reply, "due mail by hour")) {
            Instant created = GroupValues.start(row, CREATE_HOUR);
            if (created == null) {
                continue; // create_date is always set by the ORM
            }
            out.add(new DueHourGroup(created, GroupValues.start(row, SCHEDULED_HOUR),
                    OdooValues.count(row.get("__count"), "due mail by hour")));
        }
        return out;
    }

    /** The latest exceptions, newest failure first. */
    public List<FailedMail> latestExceptions(int limit) throws OdooException {
        Object reply = session.execute("mail.mail", "search_read", List.of(List.of(List.of("state", "=", "exception"))),
                Map.of("fields", List.of("id", "failure_type", "failure_reason", "write_date", "create_date", "model"),
                        "order", "write_date desc, id desc", "limit", limit));
        List<FailedMail> out = new ArrayList<>();
        for (Map<String, Object> row : OdooValues.records(reply, "latest exceptions")) {
            out.add(new FailedMail(OdooValues.count(row.get("id"), "id"), OdooValues.str(row.get("failure_type")),
                    OdooValues.str(row.get("failure_reason")), OdooValues.datetime(row.get("write_date"), "write_date"),
                    OdooValues.datetime(row.get("create_date"), "create_date"), OdooValues.str(row.get("model"))));
        }
        return out;
    }

    public int countExceptionsSince(Instant since) throws OdooException {
        return OdooValues.count(session.execute("mail.mail", "search_count", List.of(Domains.exceptionsSince(since)),
                Map.of()), "search_count");
    }
}
