package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest {@code ir.cron.progress} row of a cron, 18.0+ only: each run creates one before it
 * calls the job, and completing the run sets the cron's {@code lastcall} after it. A row newer than
 * {@code lastcall} is a run that has not completed (ODOO-NOTES.md §6). 16.0/17.0 have no such model:
 * there a long run cannot be seen from the API.
 */
public final class CronProgressReader {

    private final OdooSession session;

    public CronProgressReader(OdooSession session) {
        this.session = session;
    }

    public Optional<CronProgress> latest(int cronId) throws OdooException {
        if (!session.version().hasCronProgress()) {
            return Optional.empty();
        }
        Object reply = session.execute("ir.cron.progress", "search_read",
                List.of(List.of(List.of("cron_id", "=", cronId))),
                Map.of("fields", List.of("id", "create_date", "done", "remaining", "timed_out_counter"),
                        "order", "id desc", "limit", 1));
        List<Map<String, Object>> rows = OdooValues.records(reply, "ir.cron.progress");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = rows.get(0);
        return Optional.of(new CronProgress(OdooValues.count(r.get("id"), "id"),
                OdooValues.datetime(r.get("create_date"), "create_date"), zero(OdooValues.integer(r.get("done"), "done")),
                zero(OdooValues.integer(r.get("remaining"), "remaining")),
                zero(OdooValues.integer(r.get("timed_out_counter"), "timed_out_counter"))));
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }
}
