package io.mailwatchdog.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is true of one target at one moment: read only, never interpreted here. When the probe could
 * not get through (unreachable, refused login...), {@code failure} says why and the parts it could
 * not read are null.
 */
public record Snapshot(
        String target,
        Instant takenAt,
        Duration duration,
        long requests,
        String odooVersion,
        ProbeFailure failure,
        QueueSnapshot queue,
        SchedulerSnapshot scheduler,
        List<ServerSnapshot> servers,
        DatabaseSnapshot database,
        List<String> partialErrors) {

    public boolean reached() {
        return failure == null;
    }
}
