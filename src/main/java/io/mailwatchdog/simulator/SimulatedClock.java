package io.mailwatchdog.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: tests and the demo make hours pass in the simulated Odoo
 * (a backlog ages, a cron becomes due) without waiting. Always UTC, like Odoo's datetimes.
 */
public final class SimulatedClock extends Clock {

    private final AtomicReference<Instant> now;

    public SimulatedClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public Instant advance(Duration by) {
        return now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the simulated Odoo keeps UTC only");
        }
        return this;
    }
}
