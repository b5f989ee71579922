package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.List;

/**
 * A candidate of the stale policy: what deciding needs and nothing more (no body, no addresses).
 * Datetimes are null where Odoo sent False; {@code resId} null where it sent False or 0.
 *
 * @param messageType   the message's {@code message_type}; null when unknown
 * @param notification  {@code is_notification}: unlinking the mail leaves its message alone
 * @param attachmentIds the message's attachments, archived with the mail before it is written
 */
public record StaleMail(int id, String state, Instant createDate, Instant scheduledDate, Instant writeDate,
                        String model, Integer resId, String messageType, boolean notification,
                        List<Integer> attachmentIds) {

    public StaleMail {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    /**
     * Linked to a document: its message has a model and a res_id (and is no user notification, which
     * Odoo's unlink rule refuses alike).
     */
    public boolean linkedToDocument() {
        return model != null && !model.isBlank() && resId != null && resId != 0 && !"user_notification".equals(messageType);
    }

    /**
     * Whether Odoo lets the mail be unlinked: unlinking a mail deletes its message unless the mail is a
     * notification, and a message linked to no document passes no unlink rule, not even an
     * administrator's: Fault 4 for the whole call (ODOO-NOTES.md §4 "Writing";
     * docs/odoo-facts-retry-cleanup.md §1).
     */
    public boolean deletable() {
        return notification || linkedToDocument();
    }

    /** When the mail became due: the later of create_date and scheduled_date. */
    public Instant dueSince() {
        if (createDate == null) {
            return scheduledDate;
        }
        return scheduledDate != null && scheduledDate.isAfter(createDate) ? scheduledDate : createDate;
    }
}
