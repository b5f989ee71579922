package io.mailwatchdog.odoo;

import java.time.Instant;

/** One {@code ir.cron.progress} row (18.0+): created when a run (or one of its batches) starts. */
public record CronProgress(int id, Instant createdAt, int done, int remaining, int timedOutCounter) {
}
