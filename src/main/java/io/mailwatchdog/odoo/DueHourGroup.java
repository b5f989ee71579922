package io.mailwatchdog.odoo;

import java.time.Instant;

/**
 * Due outgoing mail grouped by the hour of create_date and of scheduled_date. The later of the two
 * hour starts is the hour in which every mail of the group became due (floor is monotonic).
 */
public record DueHourGroup(Instant createHour, Instant scheduledHour, int count) {

    public Instant dueHour() {
        return scheduledHour != null && scheduledHour.isAfter(createHour) ? scheduledHour : createHour;
    }
}
