package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mail.mail}: the outgoing queue, with the methods the watchdog calls. The three that return
 * None ({@code process_email_queue}, {@code send}, {@code action_retry}) return null here, which the
 * endpoint turns into the marshal-None Fault 1 after the work is done, as Odoo does (§3.1).
 *
 * <p>Odoo keeps half of a mail in its {@code mail.message} ({@code _inherits}); the simulator keeps those
 * fields on the mail's row, the message being only an id ({@code mail_message_id}). What the message
 * does is played here: {@code read} answers its fields, and {@code unlink} deletes it with the mail
 * (unless the mail is a notification), with the checks and attachments that come with that
 * (docs/odoo-facts-retry-cleanup.md).
 */
final class MailMailModel extends OrmModel {

    /** Admin's res.partner in a new database: the author of what admin creates. */
    static final int ADMIN_PARTNER = 3;

    /** Message ids run apart from mail ids, as in a real database, so that a test cannot mix them up. */
    private int nextMessageId = 11;

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
            // Odoo appends the context's filters to its domain (16.0-19.0)
            List<?> filters = ctx != null && ctx.get("filters") instanceof List<?> f ? f : List.of();
            db.mailQueue().process(ids, batch, filters);
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

    /** What a mail created by admin over RPC holds before its values (mail.message's defaults included). */
    @Override
    Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", "outgoing");
        d.put("auto_delete", false);
        d.put("is_notification", false);
        d.put("message_type", version.major <= 16 ? "email" : "email_outgoing");
        d.put("author_id", ADMIN_PARTNER);
        d.put("create_uid", SimulatedDatabase.ADMIN);
        d.put("write_uid", SimulatedDatabase.ADMIN);
        d.put("body", "");
        d.put("email_add_signature", true);
        String email = db.userEmail();
        d.put("email_from", email == null ? null : "\"Administrator\" <" + email + ">");
        return d;
    }

    /** A mail created with an existing message is a notification of it (mail_mail.py {@code create}). */
    @Override
    List<Integer> create(List<Map<String, Object>> valsList) {
        List<Map<String, Object>> completed = new ArrayList<>();
        for (Map<String, Object> vals : valsList) {
            Map<String, Object> copy = new LinkedHashMap<>(vals);
            Object message = vals.get("mail_message_id");
            if (!vals.containsKey("is_notification") && message != null && !Boolean.FALSE.equals(message)) {
                copy.put("is_notification", true);
            }
            completed.add(copy);
        }
        return super.create(completed);
    }

    /** Fills what Odoo sets when the mail and its message are created. */
    @Override
    void afterCreate(int id) {
        Map<String, Object> row = row(id);
        if (row.get("message_id") == null) {
            row.put("message_id", db.newMessageId(id));
        }
        if (row.get("mail_message_id") instanceof Integer given) {
            nextMessageId = Math.max(nextMessageId, given + 1);
        } else {
            row.put("mail_message_id", nextMessageId++);
        }
        if (row.get("date") == null) {
            row.put("date", row.get("create_date"));
        }
        if (row.get("reply_to") == null) {
            row.put("reply_to", row.get("email_from"));
        }
        if (row.get("record_name") == null && linkedToDocument(row)) {
            row.put("record_name", db.displayName((String) row.get("model"), (Integer) row.get("res_id")));
        }
    }

    /** The non-stored fields Odoo computes, from the row (docs/odoo-facts-retry-cleanup.md §3). */
    @Override
    Object wireValue(Map<String, Object> row, FieldDef field) {
        return switch (field.name()) {
            case "mail_message_id" -> row.get("mail_message_id") == null ? Boolean.FALSE
                    : List.of(row.get("mail_message_id"), messageName(row));
            case "mail_message_id_int" -> row.get("mail_message_id");
            case "body_content" -> field.toWire(row.get("body_html"), db::displayName);
            case "preview" -> preview(row);
            case "description" -> row.get("subject") != null ? row.get("subject") : preview(row); // 16.0, 17.0
            case "mail_ids" -> new ArrayList<>(List.of(row.get("id"))); // one mail per message here
            case "unrestricted_attachment_ids" -> field.toWire(row.get("attachment_ids"), db::displayName);
            case "is_current_user_or_guest_author" -> Integer.valueOf(ADMIN_PARTNER).equals(row.get("author_id"));
            case "__last_update" -> field.toWire(row.get("write_date"), db::displayName); // 16.0
            default -> super.wireValue(row, field);
        };
    }

    /** The message's display name: its document's name (16.0 '' without one), on 19.0 its subject. */
    private Object messageName(Map<String, Object> row) {
        Object name = version.major >= 19 ? row.get("subject") : row.get("record_name");
        if (name == null) {
            return version.major == 16 ? "" : Boolean.FALSE;
        }
        return name;
    }

    /** The body's text, as Odoo's preview strips the HTML (the simulator's bodies are short). */
    private static String preview(Map<String, Object> row) {
        Object body = row.get("body");
        return body == null ? "" : body.toString().replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    }

    /**
     * The check of {@code mail.message}'s unlink rule: a message passes only with a model, a res_id and
     * a type other than user_notification (and write access to the document, which admin has).
     */
    static boolean linkedToDocument(Map<String, Object> row) {
        Object model = row.get("model");
        Object resId = row.get("res_id");
        return model instanceof String m && !m.isEmpty() && resId instanceof Integer r && r != 0
                && !"user_notification".equals(row.get("message_type"));
    }

    /**
     * mail_mail.py {@code unlink}: reads is_notification (a deleted mail is a MissingError), deletes the
     * mails, then the messages of those that are not notifications. A message linked to no document
     * refuses the whole call (Fault 4, nothing deleted); the others go with their own attachments and
     * every mail of theirs (mail_message_id is ondelete cascade).
     */
    @Override
    void unlink(List<Integer> ids) {
        synchronized (db.lock) {
            List<Integer> messages = new ArrayList<>();
            Set<Integer> allowed = new LinkedHashSet<>();
            Set<Integer> attachments = new LinkedHashSet<>();
            for (Integer id : ids) {
                Map<String, Object> row = row(id);
                if (row == null) {
                    throw RpcFault.missingRecord(schema.name, id, db.uid());
                }
                if (!Boolean.TRUE.equals(row.get("is_notification"))) {
                    Integer message = (Integer) row.get("mail_message_id");
                    messages.add(message);
                    attachments.addAll(listOfIds(row.get("attachment_ids")));
                    if (linkedToDocument(row)) {
                        allowed.add(message);
                    }
                }
            }
            if (!allowed.containsAll(messages)) {
                throw MessageUnlinkRefusal.of(version, messages, allowed, db.uid());
            }
            Set<Integer> deletedMessages = new HashSet<>(messages);
            Set<Integer> gone = new LinkedHashSet<>(ids);
            for (Map<String, Object> row : allRows()) {
                if (deletedMessages.contains(row.get("mail_message_id"))) {
                    gone.add((Integer) row.get("id"));
                }
            }
            super.unlink(new ArrayList<>(gone));
            ((IrAttachmentModel) db.model("ir.attachment")).unlinkOwnedByMessages(attachments, messages);
        }
    }

    /** Linking attachments that do not exist: the relation table's foreign key refuses it, 19.0 checks first. */
    @Override
    RpcFault missingLinks(FieldDef field, List<Integer> missing) {
        if (version.major >= 19 || !"attachment_ids".equals(field.name())) {
            return super.missingLinks(field, missing);
        }
        return RpcFault.userError("The operation cannot be completed: another model requires the record being deleted."
                + " If possible, archive it instead.\n\nModel: Unknown (unknown)\nConstraint: message_attachment_rel_attachment_id_fkey\n");
    }
}
