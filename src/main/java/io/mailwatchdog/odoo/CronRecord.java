package io.mailwatchdog.odoo;

import java.time.Instant;

/**
 * The mail scheduler cron as this version stores it. Fields a version lacks are null:
 * numbercall/doall on 18.0+, failureCount/firstFailureDate before 18.0.
 */
public record CronRecord(int id, String name, boolean active, Instant nextcall, Instant lastcall,
                         int intervalNumber, String intervalType, Integer priority,
                         Integer numbercall, Boolean doall, Integer failureCount, Instant firstFailureDate) {
}
