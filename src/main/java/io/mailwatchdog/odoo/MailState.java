package io.mailwatchdog.odoo;

/** Where one mail stands after a write: its state and failure type (null when none). */
public record MailState(int id, String state, String failureType) {
}
