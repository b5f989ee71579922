package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to the mail scheduler cron: reviving it and holding it during a flush. Odoo refuses a
 * write while the cron runs (Fault 2 "Record cannot be modified right now…", ODOO-NOTES.md §6):
 * that is {@link Result#CRON_RUNNING}, a live scheduler, never an error.
 */
public final class MailCronWriter {

    public enum Result { DONE, CRON_RUNNING }

    private final OdooSession session;

    public MailCronWriter(OdooSession session) {
        this.session = session;
    }

    /** What a revive writes: active, nextcall now, and on 16.0/17.0 an unlimited numbercall when it reached 0. */
    public static Map<String, Object> reviveValues(OdooVersion version, CronRecord cron, Instant now) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("active", true);
        values.put("nextcall", OdooValues.formatDatetime(now));
        if (version.cronHasNumbercall() && cron.numbercall() != null && cron.numbercall() == 0) {
            values.put("numbercall", -1);
        }
        return values;
    }

    public Result write(int cronId, Map<String, Object> values) throws OdooException {
        try {
            session.execute("ir.cron", "write", List.of(List.of(cronId), values), Map.of());
            return Result.DONE;
        } catch (OdooFault.OdooUserError fault) {
            if (isRunning(fault)) {
                return Result.CRON_RUNNING;
            }
            throw fault;
        }
    }

    public Result setActive(int cronId, boolean active) throws OdooException {
        return write(cronId, Map.of("active", active));
    }

    /** The texts of a cron row locked by a run, on every version (write and method_direct_trigger). */
    static boolean isRunning(OdooFault fault) {
        String text = fault.faultString();
        return text.contains("Record cannot be modified right now") || text.contains("already executing");
    }
}
