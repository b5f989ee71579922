package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.Snapshot;
import java.time.Instant;

/** The probing step of a probe job: {@code probe::probe} of a {@link io.mailwatchdog.probe.Probe} in production. */
@FunctionalInterface
public interface Prober {

    /** One snapshot of the target, ended before {@code deadline}; a failure to reach Odoo is a Snapshot with a failure. */
    Snapshot probe(TargetSettings target, Instant deadline);
}
