package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mail.mail}: the outgoing queue, with the methods the watchdog calls. The three that return
 * None ({@code process_email_queue}, {@code send}, {@code action_retry}) return null here, which the
 * endpoint turns into the marshal-None Fault 1 after the work is done, as Odoo does (§3.1).
 */
final class MailMailModel extends OrmModel {

    MailMailModel(SimulatedDatabase db) {
        super(db, Schemas.mailMail(db.profile()), 1);
        VersionProfile v = version;
        PySignature queue = v.queueTakesBatchSize()
                ? PySignature.of("MailMail.process_email_queue", v.queueIdsKeyword(), "batch_size")
                : PySignature.of("MailMail.process_email_queue", v.queueIdsKeyword());
        modelMethod("process_email_queue", queue, (a, ctx) -> {
            Object given = a.get(v.queueIdsKeyword());
            List<Integer> ids = given == null || Boolean.FALSE.equals(given) || given instanceof List<?> l && l.isEmpty()
                    ? null : ids(given);
            int batch = a.get("batch_size") instanceof Number n ? n.intValue() : v.queueDefaultBatch();
            db.mailQueue().process(ids, batch);
            return null;
        });
        PySignature send = v.major >= 18
                ? PySignature.of("MailMail.send", "auto_commit", "raise_exception", "post_send_callback")
                : PySignature.of("MailMail.send", "auto_commit", "raise_exception");
        recordMethod("send", send, (ids, a, ctx) -> {
            db.mailQueue().send(ids);
            return null;
        });
        recordMethod("mark_outgoing", PySignature.of("MailMail.mark_outgoing"), (ids, a, ctx) -> {
            write(ids, Map.of("state", "outgoing"));
            return Boolean.TRUE;
        });
        recordMethod("cancel", PySignature.of("MailMail.cancel"), (ids, a, ctx) -> {
            write(ids, Map.of("state", "cancel"));
            return Boolean.TRUE;
        });
        recordMethod("action_retry", PySignature.of("MailMail.action_retry"), (ids, a, ctx) -> {
            List<Integer> failed = new ArrayList<>();
            synchronized (db.lock) {
                for (Integer id : ids) {
                    Map<String, Object> row = row(id);
                    if (row != null && "exception".equals(row.get("state"))) {
                        failed.add(id);
                    }
                }
            }
            write(failed, Map.of("state", "outgoing"));
            return null;
        });
    }

    @Override
    Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", "outgoing");
        d.put("auto_delete", false);
        d.put("is_notification", false);
        return d;
    }

    @Override
    void afterCreate(int id) {
        Map<String, Object> row = row(id);
        if (row.get("message_id") == null) {
            row.put("message_id", db.newMessageId(id));
        }
    }

    /** unlink reads is_notification of each mail first: a deleted one is a MissingError (mail_mail.py). */
    @Override
    void unlink(List<Integer> ids) {
        synchronized (db.lock) {
            for (Integer id : ids) {
                if (row(id) == null) {
                    throw RpcFault.missingRecord(schema.name, id, db.uid());
                }
            }
            super.unlink(ids);
        }
    }
}
