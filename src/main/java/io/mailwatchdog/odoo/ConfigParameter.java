package io.mailwatchdog.odoo;

import java.time.Instant;

/** One {@code ir.config_parameter} row; {@code writeDate} is Odoo's clock at its last write. */
public record ConfigParameter(int id, String key, String value, Instant writeDate) {
}
