package io.mailwatchdog.health;

import io.mailwatchdog.probe.Snapshot;
import java.util.List;

/**
 * A target's findings and the worst of them. {@code recovery} is set while the daemon's retry works a
 * backlog off and the target is not back to PASS ("recovering: ..."), else null.
 */
public record TargetReport(String target, Status status, Snapshot snapshot, List<Finding> findings, String recovery) {

    public static TargetReport of(Snapshot snapshot, List<Finding> findings) {
        Status worst = findings.stream().map(Finding::status).reduce(Status.PASS, Status::worst);
        return new TargetReport(snapshot.target(), worst, snapshot, List.copyOf(findings), null);
    }

    /** The same report with one more finding (its status counted in the worst) and the recovery note. */
    public TargetReport with(Finding extra, String recoveryNote) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        if (extra != null) {
            all.add(extra);
        }
        TargetReport r = of(snapshot, all);
        return new TargetReport(r.target(), r.status(), snapshot, r.findings(), recoveryNote);
    }
}
