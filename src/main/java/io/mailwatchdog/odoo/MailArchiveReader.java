package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;

/**
 * Reads what is archived before a mail is cancelled or purged: the mails' whole rows ({@code read} with
 * no field list: every field the API returns, body included) and their attachments with their data.
 * Callers read mails in small groups and attachments one at a time, so that a long body or a big PDF
 * meets the reply limit ({@link OdooResponseTooLarge}) alone instead of failing a whole batch.
 */
public final class MailArchiveReader {

    /**
     * An attachment's row with its data; fields of 16.0–19.0 alike. Not all of them: {@code raw} is the
     * same bytes again, {@code index_content} the text extracted from them.
     */
    static final List<String> ATTACHMENT_FIELDS = List.of("name", "res_model", "res_id", "type", "mimetype", "file_size",
            "checksum", "create_date", "write_date", "datas");

    private final OdooSession session;

    public MailArchiveReader(OdooSession session) {
        this.session = session;
    }

    /** The whole rows of these mails; a mail that no longer exists is left out (as Odoo's read does). */
    public List<Map<String, Object>> mails(List<Integer> ids) throws OdooException {
        Object reply = session.execute("mail.mail", "read", List.of(List.copyOf(ids)), Map.of());
        return OdooValues.records(reply, "mail.mail read");
    }

    /** One attachment with its data (base64, as Odoo sends it); null when it no longer exists. */
    public Map<String, Object> attachment(int id) throws OdooException {
        Object reply = session.execute("ir.attachment", "read", List.of(List.of(id)), Map.of("fields", ATTACHMENT_FIELDS));
        List<Map<String, Object>> rows = OdooValues.records(reply, "ir.attachment read");
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The attachment ids of a whole mail row ({@code attachment_ids}, False when none). */
    public static List<Integer> attachmentIds(Map<String, Object> mail) throws OdooProtocolError {
        return StaleCandidateReader.ids(mail.get("attachment_ids"));
    }
}
