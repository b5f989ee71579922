package io.mailwatchdog.health;

import io.mailwatchdog.probe.Snapshot;
import java.util.List;

/** A target's findings and the worst of them. */
public record TargetReport(String target, Status status, Snapshot snapshot, List<Finding> findings) {

    public static TargetReport of(Snapshot snapshot, List<Finding> findings) {
        Status worst = findings.stream().map(Finding::status).reduce(Status.PASS, Status::worst);
        return new TargetReport(snapshot.target(), worst, snapshot, List.copyOf(findings));
    }
}
