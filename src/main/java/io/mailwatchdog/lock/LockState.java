package io.mailwatchdog.lock;

import io.mailwatchdog.odoo.ConfigParameter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lock row as found, judged on Odoo's clock: its lease counts from the row's {@code write_date}
 * (every write renews it), compared with {@code serverNow}, the server's time when the row was read.
 */
public record LockState(ConfigParameter row, Optional<LockValue> value, Instant serverNow, Duration lease) {

    public Duration age() {
        if (row.writeDate() == null) {
            return Duration.ZERO;
        }
        Duration age = Duration.between(row.writeDate(), serverNow);
        return age.isNegative() ? Duration.ZERO : age;
    }

    public boolean expired() {
        return age().compareTo(lease) > 0;
    }

    public boolean ownedBy(String owner) {
        return value.map(v -> v.owner().equals(owner)).orElse(false);
    }

    public String owner() {
        return value.map(LockValue::owner).orElse("unknown (value not written by the watchdog)");
    }

    public Optional<LockValue.Hold> hold() {
        return value.map(LockValue::hold);
    }
}
