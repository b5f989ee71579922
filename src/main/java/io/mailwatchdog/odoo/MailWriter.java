package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;

/**
 * The writes of safe recovery on {@code mail.mail}: requeue, cancel, purge, and putting a requeued mail
 * back in {@code exception}. Record methods, {@code args = [[ids]]} (ODOO-NOTES.md §4 "Writing"). Only
 * the act package calls them, each journaled first and under the target's lock.
 */
public final class MailWriter {

    private final OdooSession session;

    public MailWriter(OdooSession session) {
        this.session = session;
    }

    /** {@code mark_outgoing}: writes state outgoing unconditionally (re-read first) and clears failure_reason. */
    public void markOutgoing(List<Integer> ids) throws OdooException {
        session.execute("mail.mail", "mark_outgoing", List.of(List.copyOf(ids)), Map.of());
    }

    /** {@code cancel}: state cancel; the row stays for audit. */
    public void cancel(List<Integer> ids) throws OdooException {
        session.execute("mail.mail", "cancel", List.of(List.copyOf(ids)), Map.of());
    }

    /**
     * {@code unlink}: deletes the mails, and with them (for non-notification mails) their message and the
     * message's attachments. Odoo refuses the whole call (Fault 4) when one mail has no document.
     */
    public void unlink(List<Integer> ids) throws OdooException {
        session.execute("mail.mail", "unlink", List.of(List.copyOf(ids)), Map.of());
    }

    /** Puts requeued mails that were not sent back in {@code exception}, with the reason they had. */
    public void backToException(List<Integer> ids, String failureReason) throws OdooException {
        session.execute("mail.mail", "write", List.of(List.copyOf(ids),
                Map.of("state", "exception", "failure_reason", failureReason == null ? false : failureReason)), Map.of());
    }
}
