package io.mailwatchdog.odoo;

/** Where one mail stands after a write: its state, failure type and reason (null when none). */
public record MailState(int id, String state, String failureType, String failureReason) {
}
