package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.List;

/** Search domains shared by the readers, in Odoo's prefix notation. */
final class Domains {

    private Domains() {
    }

    /** Outgoing mail that process_email_queue would pick: scheduled_date unset or past (UTC). */
    static List<Object> due(Instant now) {
        String at = OdooValues.formatDatetime(now);
        return List.of(List.of("state", "=", "outgoing"), "|", List.of("scheduled_date", "=", false),
                List.of("scheduled_date", "<=", at));
    }

    static List<Object> exceptionsSince(Instant since) {
        return List.of(List.of("state", "=", "exception"), List.of("write_date", ">=", OdooValues.formatDatetime(since)));
    }
}
