package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds and reads the mail scheduler, "Mail: Email Queue Manager", by its XML id (never by a hard-coded id). */
public final class MailCronReader {

    public static final String XML_ID = "mail.ir_cron_mail_scheduler_action";

    private final OdooSession session;

    public MailCronReader(OdooSession session) {
        this.session = session;
    }

    /** Empty when the XML id is gone: the mail module is missing or the record was deleted. */
    public Optional<Integer> resolveId() throws OdooException {
        Object reply = session.execute("ir.model.data", "search_read",
                List.of(List.of(List.of("module", "=", "mail"), List.of("name", "=", "ir_cron_mail_scheduler_action"))),
                Map.of("fields", List.of("res_id"), "limit", 1));
        List<Map<String, Object>> rows = OdooValues.records(reply, "ir.model.data");
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(OdooValues.integer(rows.get(0).get("res_id"), "res_id"));
    }

    /** Empty when the record does not exist any more. */
    public Optional<CronRecord> read(int id) throws OdooException {
        OdooVersion version = session.version();
        Object reply = session.execute("ir.cron", "read", List.of(List.of(id)), Map.of("fields", version.cronFields()));
        List<Map<String, Object>> rows = OdooValues.records(reply, "ir.cron read");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = rows.get(0);
        Integer intervalNumber = OdooValues.integer(r.get("interval_number"), "interval_number");
        return Optional.of(new CronRecord(id, OdooValues.str(r.get("cron_name")), OdooValues.bool(r.get("active")),
                OdooValues.datetime(r.get("nextcall"), "nextcall"), OdooValues.datetime(r.get("lastcall"), "lastcall"),
                intervalNumber == null ? 0 : intervalNumber, OdooValues.str(r.get("interval_type")),
                OdooValues.integer(r.get("priority"), "priority"),
                version.cronHasNumbercall() ? OdooValues.integer(r.get("numbercall"), "numbercall") : null,
                version.cronHasNumbercall() ? OdooValues.bool(r.get("doall")) : null,
                version.cronHasFailureCount() ? zeroIfEmpty(OdooValues.integer(r.get("failure_count"), "failure_count")) : null,
                version.cronHasFailureCount() ? OdooValues.datetime(r.get("first_failure_date"), "first_failure_date") : null));
    }

    private static Integer zeroIfEmpty(Integer value) {
        return value == null ? 0 : value;
    }
}
