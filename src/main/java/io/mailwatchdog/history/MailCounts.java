package io.mailwatchdog.history;

import io.mailwatchdog.journal.JournalRecord;
import java.util.List;

/**
 * How many mails the daemon's actions moved in a window, from the outcomes in its journal. Delivered means sent or
 * gone (a sent mail with auto_delete is deleted).
 *
 * @param requeued               {@code retry.requeue}: mails put back to outgoing ({@code requeued})
 * @param deliveredByRetry       {@code retry.send}: {@code sent + gone}
 * @param stillFailingAfterRetry {@code retry.send}: {@code exception}
 * @param deliveredByFlush       {@code flush}: {@code sent + gone}
 * @param cancelled              {@code stale.cancel}: {@code cancelled}
 * @param purged                 {@code stale.purge}: {@code purged}
 * @param purgesRefused          {@code stale.purge} outcomes {@code failed}: Odoo refused the unlink
 */
public record MailCounts(long requeued, long deliveredByRetry, long stillFailingAfterRetry, long deliveredByFlush,
                         long cancelled, long purged, int purgesRefused) {

    /** @param outcomes the outcome records of the window */
    static MailCounts of(List<JournalRecord> outcomes) {
        long requeued = 0;
        long byRetry = 0;
        long stillFailing = 0;
        long byFlush = 0;
        long cancelled = 0;
        long purged = 0;
        int refused = 0;
        for (JournalRecord r : outcomes) {
            switch (r.action()) {
                case "retry.requeue" -> requeued += count(r, "requeued");
                case "retry.send" -> {
                    byRetry += number(r, "sent") + number(r, "gone");
                    stillFailing += number(r, "exception");
                }
                case "flush" -> byFlush += number(r, "sent") + number(r, "gone");
                case "stale.cancel" -> cancelled += count(r, "cancelled");
                case "stale.purge" -> {
                    purged += count(r, "purged");
                    refused += "failed".equals(r.outcome()) ? 1 : 0;
                }
                default -> { }
            }
        }
        return new MailCounts(requeued, byRetry, stillFailing, byFlush, cancelled, purged, refused);
    }

    /** The count in the outcome's details; a done outcome without it counts its ids. */
    private static long count(JournalRecord r, String key) {
        if (r.details().get(key) instanceof Number n) {
            return n.longValue();
        }
        return "done".equals(r.outcome()) ? r.ids().size() : 0;
    }

    private static long number(JournalRecord r, String key) {
        return r.details().get(key) instanceof Number n ? n.longValue() : 0;
    }
}
