package io.mailwatchdog.odoo;

import java.time.Instant;

/** A mail in {@code exception}; write_date is when it last failed. failureType null means Odoo's False. */
public record FailedMail(int id, String failureType, String failureReason, Instant writeDate, Instant createDate,
                         String model) {
}
