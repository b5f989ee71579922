package io.mailwatchdog.simulator;

import static io.mailwatchdog.simulator.FieldType.BINARY;
import static io.mailwatchdog.simulator.FieldType.BOOLEAN;
import static io.mailwatchdog.simulator.FieldType.CHAR;
import static io.mailwatchdog.simulator.FieldType.DATETIME;
import static io.mailwatchdog.simulator.FieldType.HTML;
import static io.mailwatchdog.simulator.FieldType.INTEGER;
import static io.mailwatchdog.simulator.FieldType.MANY2MANY;
import static io.mailwatchdog.simulator.FieldType.MANY2ONE_REFERENCE;
import static io.mailwatchdog.simulator.FieldType.ONE2MANY;
import static io.mailwatchdog.simulator.FieldType.TEXT;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields the simulator keeps per model and version: those the watchdog reads or writes and the
 * ones the fixtures show, with Odoo's names, types, labels and default orders. {@code mail.mail} also
 * has every other field its captured {@code fields_get} lists, so that {@code read} without a field list
 * answers the same keys as Odoo; those read empty unless {@link MailMailModel} computes them.
 */
final class Schemas {

    private Schemas() {
    }

    static ModelSchema mailMail(VersionProfile v) {
        List<String> failureTypes = new ArrayList<>(List.of("unknown"));
        if (v.major >= 19) {
            failureTypes.add("mail_spam");
        }
        failureTypes.addAll(List.of("mail_email_invalid", "mail_email_missing"));
        if (v.major >= 17) {
            failureTypes.addAll(List.of("mail_from_invalid", "mail_from_missing"));
        }
        failureTypes.addAll(List.of("mail_smtp", "mail_bl", "mail_optout", "mail_dup"));
        return ModelSchema.builder("mail.mail", "Outgoing Mails").order("id desc").recName("subject")
                .add(FieldDef.selection("state", "Status", List.of("outgoing", "sent", "received", "exception", "cancel")))
                .field("scheduled_date", DATETIME, "Scheduled Send Date")
                .add(FieldDef.selection("failure_type", "Failure type", failureTypes))
                .field("failure_reason", TEXT, "Failure Reason")
                .field("email_from", CHAR, "From")
                .field("email_to", TEXT, "To")
                .field("email_cc", CHAR, "Cc")
                .field("subject", CHAR, "Subject")
                .field("body_html", TEXT, "Text Contents")
                .field("model", CHAR, "Related Document Model")
                .field("res_id", MANY2ONE_REFERENCE, "Related Document ID")
                .field("message_id", CHAR, "Message-Id")
                .field("auto_delete", BOOLEAN, "Auto Delete")
                .add(FieldDef.many2one("mail_server_id", "ir.mail_server", "Outgoing mail server"))
                .field("is_notification", BOOLEAN, "Notification Email")
                // from mail.message (_inherits): the message, its document name, author, body, attachments
                .add(FieldDef.many2one("mail_message_id", "mail.message", "Message"))
                .add(FieldDef.many2many("attachment_ids", "ir.attachment", "Attachments"))
                .add(new FieldDef("unrestricted_attachment_ids", MANY2MANY, "Unrestricted Attachments", "ir.attachment", List.of()))
                .add(new FieldDef("mail_ids", ONE2MANY, "Mails", "mail.mail", List.of()))
                .add(FieldDef.many2one("author_id", "res.partner", "Author"))
                .add(FieldDef.many2one("create_uid", "res.users", "Created by"))
                .add(FieldDef.many2one("write_uid", "res.users", "Last Updated by"))
                .field("record_name", CHAR, "Message Record Name")
                .field("reply_to", CHAR, "Reply-To")
                .field("body", HTML, "Contents")
                .field("date", DATETIME, "Date")
                .addAbsent(FieldsCatalog.capturedFields("mail.mail", v))
                .build();
    }

    static ModelSchema irAttachment() {
        return ModelSchema.builder("ir.attachment", "Attachment").order("id desc").recName("name")
                .field("name", CHAR, "Name")
                .field("res_model", CHAR, "Resource Model")
                .field("res_id", MANY2ONE_REFERENCE, "Resource ID")
                .add(FieldDef.selection("type", "Type", List.of("url", "binary")))
                .field("mimetype", CHAR, "Mime Type")
                .field("file_size", INTEGER, "File Size")
                .field("checksum", CHAR, "Checksum/SHA1")
                .field("datas", BINARY, "File Content (base64)")
                .build();
    }

    static ModelSchema irCron(VersionProfile v) {
        ModelSchema.Builder b = ModelSchema.builder("ir.cron", "Scheduled Actions").order("cron_name").recName("name")
                .field("name", CHAR, "Action Name")
                .field("cron_name", CHAR, "Name")
                .field("active", BOOLEAN, "Active")
                .field("nextcall", DATETIME, "Next Execution Date")
                .field("lastcall", DATETIME, "Last Execution Date")
                .field("interval_number", INTEGER, "Interval Number")
                .add(FieldDef.selection("interval_type", "Interval Unit", List.of("minutes", "hours", "days", "weeks", "months")))
                .field("priority", INTEGER, "Priority")
                .add(FieldDef.many2one("user_id", "res.users", "Scheduler User"))
                .add(FieldDef.many2one("model_id", "ir.model", "Model"))
                .field("code", TEXT, "Python Code")
                .add(FieldDef.selection("state", "Type", List.of()))
                .add(FieldDef.many2one("ir_actions_server_id", "ir.actions.server", "Server action"));
        if (v.hasNumbercall()) {
            b.field("numbercall", INTEGER, "Number of Calls").field("doall", BOOLEAN, "Repeat Missed");
        } else {
            b.field("failure_count", INTEGER, "Failure Count").field("first_failure_date", DATETIME, "First Failure Date");
        }
        return b.build();
    }

    static ModelSchema irCronProgress() {
        return ModelSchema.builder("ir.cron.progress", "Progress of Scheduled Actions").recName("cron_id")
                .add(FieldDef.many2one("cron_id", "ir.cron", "Cron"))
                .field("remaining", INTEGER, "Remaining")
                .field("done", INTEGER, "Done")
                .field("deactivate", BOOLEAN, "Deactivate")
                .field("timed_out_counter", INTEGER, "Timed Out Counter")
                .build();
    }

    static ModelSchema irMailServer() {
        return ModelSchema.builder("ir.mail_server", "Mail Server").order("sequence").recName("name")
                .field("name", CHAR, "Name")
                .field("smtp_host", CHAR, "SMTP Server")
                .field("smtp_port", INTEGER, "SMTP Port")
                .field("smtp_user", CHAR, "Username")
                .field("smtp_pass", CHAR, "Password")
                .add(FieldDef.selection("smtp_encryption", "Connection Encryption", List.of("none", "starttls", "ssl")))
                .add(FieldDef.selection("smtp_authentication", "Authenticate with", List.of("login", "certificate", "cli", "gmail")))
                .field("from_filter", CHAR, "FROM Filtering")
                .field("sequence", INTEGER, "Priority")
                .field("active", BOOLEAN, "Active")
                .build();
    }

    static ModelSchema irConfigParameter() {
        return ModelSchema.builder("ir.config_parameter", "System Parameter").order("key").recName("key")
                .field("key", CHAR, "Key")
                .field("value", TEXT, "Value")
                .build();
    }

    static ModelSchema irModelData() {
        return ModelSchema.builder("ir.model.data", "Model Data").order("module, model, name").recName("name")
                .field("module", CHAR, "Module")
                .field("name", CHAR, "External Identifier")
                .field("model", CHAR, "Model Name")
                .field("res_id", MANY2ONE_REFERENCE, "Record ID")
                .field("noupdate", BOOLEAN, "Non Updatable")
                .build();
    }

    static ModelSchema irModuleModule() {
        return ModelSchema.builder("ir.module.module", "Module").order("name").recName("shortdesc")
                .field("name", CHAR, "Technical Name")
                .field("shortdesc", CHAR, "Module Name")
                .add(FieldDef.selection("state", "Status", List.of("uninstallable", "uninstalled", "installed",
                        "to upgrade", "to remove", "to install")))
                .build();
    }

    static ModelSchema resUsers() {
        return ModelSchema.builder("res.users", "User").order("name, login").recName("name")
                .field("login", CHAR, "Login")
                .field("name", CHAR, "Name")
                .field("email", CHAR, "Email")
                .field("active", BOOLEAN, "Active")
                .build();
    }
}
