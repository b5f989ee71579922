package io.mailwatchdog.odoo;

import java.time.Duration;
import java.time.Instant;

/** An outgoing mail that is due; its due age is now − max(create_date, scheduled_date). */
public record DueMail(int id, Instant createDate, Instant scheduledDate) {

    public Instant dueSince() {
        return scheduledDate != null && scheduledDate.isAfter(createDate) ? scheduledDate : createDate;
    }

    public Duration dueAge(Instant now) {
        Duration age = Duration.between(dueSince(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
