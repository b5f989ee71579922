package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.List;

/**
 * A candidate of the stale policy: what deciding needs and nothing more (no body, no addresses).
 * Datetimes are null where Odoo sent False; {@code resId} null where it sent False or 0.
 *
 * @param attachmentIds the message's attachments, archived with the mail before it is purged
 */
public record StaleMail(int id, String state, Instant createDate, Instant scheduledDate, Instant writeDate,
                        String model, Integer resId, List<Integer> attachmentIds) {

    public StaleMail {
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    /**
     * Linked to a document (its message has a model and a res_id). Odoo refuses the unlink of a mail
     * linked to none: its message may be deleted only by its author (ODOO-NOTES.md §4 "Writing").
     */
    public boolean linkedToDocument() {
        return model != null && !model.isBlank() && resId != null && resId != 0;
    }

    /** When the mail became due: the later of create_date and scheduled_date. */
    public Instant dueSince() {
        if (createDate == null) {
            return scheduledDate;
        }
        return scheduledDate != null && scheduledDate.isAfter(createDate) ? scheduledDate : createDate;
    }
}
