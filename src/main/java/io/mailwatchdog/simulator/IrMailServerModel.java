package io.mailwatchdog.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ir.mail_server}: outgoing servers, and Odoo's connection test against the real SMTP server. */
final class IrMailServerModel extends OrmModel {

    static final String TEST_RECIPIENT = "noreply@odoo.com";
    static final String NO_USER_EMAIL = "Please configure an email on the current user to simulate sending an email"
            + " message via this outgoing server";

    IrMailServerModel(SimulatedDatabase db) {
        super(db, Schemas.irMailServer(), 1);
        PySignature test = version.major >= 18
                ? PySignature.of("IrMailServer.test_smtp_connection", "autodetect_max_email_size")
                : PySignature.of("IrMailServer.test_smtp_connection");
        recordMethod("test_smtp_connection", test, (ids, a, ctx) -> {
            for (Integer id : ids) {
                testOne(id);
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("message", "Connection Test Successful!");
            params.put("type", "success");
            params.put("sticky", Boolean.FALSE);
            if (version.smtpTestSuccessHasNext()) {
                params.put("next", Map.of("type", "ir.actions.act_window_close"));
            }
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("type", "ir.actions.client");
            action.put("tag", "display_notification");
            action.put("params", params);
            return action;
        });
    }

    private void testOne(int id) {
        SmtpServerConfig server;
        synchronized (db.lock) {
            Map<String, Object> row = row(id);
            if (row == null) {
                throw RpcFault.missingRecord(schema.name, id, db.uid());
            }
            server = config(row);
        }
        // 19.0 asks for the sender before connecting, 16.0–18.0 after (a dead server is reported first there).
        SmtpConnectionCheck.run(server, () -> testSender(server.fromFilter()), version.major >= 19, TEST_RECIPIENT,
                db.mailQueue().smtpTimeout(), version);
    }

    /**
     * {@code _get_test_email_from}: a full address of from_filter, else noreply@ its domain, else the
     * RPC user's email, else the UserError every test of a new 19.0 database meets.
     */
    private String testSender(String fromFilter) {
        if (fromFilter != null && !fromFilter.isBlank()) {
            List<String> parts = List.of(fromFilter.split(","));
            for (String part : parts) {
                if (part.contains("@")) {
                    return part.strip();
                }
            }
            return "noreply@" + parts.get(0).strip();
        }
        String email = db.userEmail();
        if (email == null || !email.contains("@")) {
            throw RpcFault.userError(NO_USER_EMAIL);
        }
        return email;
    }

    static SmtpServerConfig config(Map<String, Object> row) {
        Object port = row.get("smtp_port");
        return new SmtpServerConfig(String.valueOf(row.get("smtp_host")), port instanceof Integer p && p > 0 ? p : 25,
                row.get("smtp_encryption") == null ? "none" : String.valueOf(row.get("smtp_encryption")),
                (String) row.get("smtp_user"), (String) row.get("smtp_pass"), (String) row.get("from_filter"));
    }

    @Override
    Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("smtp_port", 25);
        d.put("smtp_encryption", "none");
        d.put("smtp_authentication", "login");
        d.put("sequence", 10);
        d.put("active", true);
        return d;
    }
}
