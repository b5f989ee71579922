package io.mailwatchdog.simulator;

import java.util.Locale;

/**
 * What differs between the Odoo versions the simulator plays, as observed in the fixtures
 * (shared/odoo-fixtures) and read in each version's source (ODOO-NOTES.md §6, §8).
 */
enum VersionProfile {
    // mail cron id, its ir.model.data id, priority, model_id, server action id, code (per read_ir_cron)
    V16(16, 2, 7449, 5, 165, 110, "model.process_email_queue()"),
    V17(17, 3, 7824, 5, 160, 113, "model.process_email_queue()"),
    V18(18, 3, 11122, 6, 166, 116, "model.process_email_queue(batch_size=1000)"),
    V19(19, 3, 13054, 6, 179, 117, "model.process_email_queue(batch_size=1000)");

    final int major;
    final int mailCronId;
    final int mailCronXmlIdRow;
    final int mailCronPriority;
    final int mailModelId;
    final int mailCronActionId;
    final String mailCronCode;

    VersionProfile(int major, int mailCronId, int mailCronXmlIdRow, int mailCronPriority, int mailModelId,
                   int mailCronActionId, String mailCronCode) {
        this.major = major;
        this.mailCronId = mailCronId;
        this.mailCronXmlIdRow = mailCronXmlIdRow;
        this.mailCronPriority = mailCronPriority;
        this.mailModelId = mailModelId;
        this.mailCronActionId = mailCronActionId;
        this.mailCronCode = mailCronCode;
    }

    /** "16.0" … "19.0" (also "16", "saas~18.2" is not played). */
    static VersionProfile of(String version) {
        String v = version == null ? "" : version.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "16.0", "16" -> V16;
            case "17.0", "17" -> V17;
            case "18.0", "18" -> V18;
            case "19.0", "19" -> V19;
            default -> throw new IllegalArgumentException("the simulator plays Odoo 16.0, 17.0, 18.0 and 19.0, not " + version);
        };
    }

    String label() {
        return major + ".0";
    }

    /** 16.0/17.0 count calls down and stop at 0; 18.0 dropped the field. */
    boolean hasNumbercall() {
        return major <= 17;
    }

    /** 18.0+ count consecutive failures, keep ir.cron.progress rows and run a job in batches. */
    boolean hasFailureCount() {
        return major >= 18;
    }

    boolean hasCronProgress() {
        return major >= 18;
    }

    boolean hasFormattedReadGroup() {
        return major >= 19;
    }

    /** The keyword of process_email_queue's ids: {@code ids} up to 18.0, {@code email_ids} in 19.0. */
    String queueIdsKeyword() {
        return major >= 19 ? "email_ids" : "ids";
    }

    boolean queueTakesBatchSize() {
        return major >= 18;
    }

    /** process_email_queue's own default batch (16.0 hard-codes 10 000; 17.0 reads an ICP, default 10 000). */
    int queueDefaultBatch() {
        return major >= 18 ? 1000 : 10_000;
    }

    /** 16.0's {@code ustr(e)} joins an exception's arguments and decodes bytes; 17.0+ use {@code str(e)}. */
    boolean testSmtpUsesUstr() {
        return major <= 16;
    }

    /** failure_reason of a connect-time failure: 16.0/17.0 decode bytes arguments, 18.0+ print their repr. */
    boolean failureReasonDecodesBytes() {
        return major <= 17;
    }

    /** The client action of a passed test carries {@code next} from 18.0 on. */
    boolean smtpTestSuccessHasNext() {
        return major >= 18;
    }

    /** A new 19.0 database without demo data gives admin no email (read_res_users_admin_email). */
    String defaultAdminEmail() {
        return major >= 19 ? null : "admin@example.com";
    }

    /** 16.0/17.0 name a private method bare; 18.0+ with its model (execute_kw_private_method). */
    String privateMethodText(String model, String method) {
        return major >= 18 ? "Private methods (such as '" + model + "." + method + "') cannot be called remotely."
                : "Private methods (such as " + method + ") cannot be called remotely.";
    }

    /** Fault 1 last line for a method the model lacks (18.0+ check it before calling; older getattr fails). */
    String unknownMethodText(String model, String method) {
        return major >= 18 ? "The method '" + model + "." + method + "' does not exist"
                : "type object '" + model + "' has no attribute '" + method + "'";
    }
}
