package io.mailwatchdog.odoo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whether mail is off on purpose, and whether crons are blocked by a pending module operation. */
public final class DatabaseStateReader {

    private final OdooSession session;

    public DatabaseStateReader(OdooSession session) {
        this.session = session;
    }

    /**
     * A neutralized database (a staging copy) has every cron and mail server off by design
     * (odoo/addons/base/data/neutralize.sql): report it, never treat it as a failure.
     */
    public boolean neutralized() throws OdooException {
        Object value = session.execute("ir.config_parameter", "get_param", List.of("database.is_neutralized"), Map.of());
        String text = OdooValues.str(value);
        return text != null && !text.isBlank() && !"false".equalsIgnoreCase(text.strip()) && !"0".equals(text.strip());
    }

    /** Modules in a "to …" state block every cron of the database (odoo/addons/base/models/ir_cron.py). */
    public List<String> modulesPendingOperation() throws OdooException {
        Object reply = session.execute("ir.module.module", "search_read",
                List.of(List.of(List.of("state", "in", List.of("to upgrade", "to install", "to remove")))),
                Map.of("fields", List.of("name", "state"), "limit", 20));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : OdooValues.records(reply, "ir.module.module")) {
            out.add(OdooValues.str(row.get("name")) + " (" + OdooValues.str(row.get("state")) + ")");
        }
        return out;
    }
}
