package io.mailwatchdog.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The rows a new database with the mail module holds, as in the fixtures' fresh databases: OdooBot and
 * admin (with 16.0–18.0's email, none on 19.0), the autovacuum and mail crons with the version's ids,
 * priority, code and counters, the mail cron's XML id, the default parameters, base, web and mail installed.
 */
final class NewDatabaseRows {

    private NewDatabaseRows() {
    }

    static void seed(SimulatedDatabase db) {
        VersionProfile profile = db.profile();
        synchronized (db.lock) {
            Instant now = db.clock().instant();
            OrmModel users = db.model("res.users");
            users.insert(values("id", SimulatedDatabase.ODOOBOT, "login", "__system__", "name", "OdooBot",
                    "email", "odoobot@example.com", "active", false));
            users.insert(values("id", SimulatedDatabase.ADMIN, "login", SimulatedDatabase.DEFAULT_LOGIN,
                    "name", "Administrator", "email", profile.defaultAdminEmail(), "active", true));

            OrmModel crons = db.model("ir.cron");
            crons.insert(cron(profile, 1, "Base: Auto-vacuum internal data", "days", 5, 1, "model._run_vacuum_cleaner()",
                    1, now.plus(Duration.ofDays(1))));
            // A healthy scheduler: next run within the hour, never run yet.
            crons.insert(cron(profile, profile.mailCronId, "Mail: Email Queue Manager", "hours", profile.mailCronPriority,
                    profile.mailModelId, profile.mailCronCode, profile.mailCronActionId, now.plus(Duration.ofHours(1))));
            db.nameForeignRecord("res.partner", MailMailModel.ADMIN_PARTNER, "Administrator");
            db.nameForeignRecord("ir.model", profile.mailModelId, "Outgoing Mails");
            db.nameForeignRecord("ir.model", 1, "Base");
            db.nameForeignRecord("ir.actions.server", profile.mailCronActionId, "Mail: Email Queue Manager");
            db.nameForeignRecord("ir.actions.server", 1, "Base: Auto-vacuum internal data");

            db.model("ir.model.data").insert(values("id", profile.mailCronXmlIdRow, "module", "mail",
                    "name", "ir_cron_mail_scheduler_action", "model", "ir.cron", "res_id", profile.mailCronId, "noupdate", true));

            OrmModel params = db.model("ir.config_parameter");
            UUID seed = UUID.nameUUIDFromBytes(db.name().getBytes(StandardCharsets.UTF_8));
            params.insert(values("key", "database.secret", "value", seed.toString()));
            params.insert(values("key", "database.uuid", "value",
                    new UUID(seed.getLeastSignificantBits(), seed.getMostSignificantBits()).toString()));
            params.insert(values("key", "database.create_date", "value", OdooDatetimes.format(now)));
            params.insert(values("key", "web.base.url", "value", "http://localhost:8069"));
            params.insert(values("key", "base.login_cooldown_after", "value", "10"));
            params.insert(values("key", "base.login_cooldown_duration", "value", "60"));

            OrmModel modules = db.model("ir.module.module");
            modules.insert(values("name", "base", "shortdesc", "Base", "state", "installed"));
            modules.insert(values("name", "web", "shortdesc", "Web", "state", "installed"));
            modules.insert(values("name", "mail", "shortdesc", "Discuss", "state", "installed"));
        }
    }

    private static Map<String, Object> cron(VersionProfile profile, int id, String cronName, String intervalType,
                                            int priority, int modelId, String code, int actionId, Instant nextcall) {
        Map<String, Object> row = values("id", id, "name", cronName, "cron_name", cronName, "active", true,
                "nextcall", OdooDatetimes.stored(nextcall), "lastcall", null, "interval_number", 1,
                "interval_type", intervalType, "priority", priority, "user_id", SimulatedDatabase.ODOOBOT,
                "model_id", modelId, "code", code, "state", "code", "ir_actions_server_id", actionId);
        if (profile.hasNumbercall()) {
            row.put("numbercall", -1);
            row.put("doall", false);
        } else {
            row.put("failure_count", 0);
            row.put("first_failure_date", null);
        }
        return row;
    }

    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
