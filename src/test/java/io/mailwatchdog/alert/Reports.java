package io.mailwatchdog.alert;

import io.mailwatchdog.config.Thresholds;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Evaluator;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Target reports as the evaluator makes them, with only the findings a test cares about. */
final class Reports {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final Thresholds THRESHOLDS = new Thresholds(Duration.ofMinutes(15), Duration.ofMinutes(60),
            Duration.ofMinutes(10), Duration.ofMinutes(60), 1, 50, 1, 3);

    private Reports() {
    }

    /** The scheduler check at this status (with the evaluator's own texts), every other check PASS. */
    static TargetReport scheduler(String target, Status status) {
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(CheckIds.ODOO_REACHABLE, Status.PASS, "Odoo 18.0 answers", Map.of(), null));
        findings.add(new Finding(CheckIds.ODOO_LOGIN, Status.PASS, "logged in", Map.of(), null));
        findings.add(switch (status) {
            case PASS -> new Finding(CheckIds.SCHEDULER_ACTIVE, Status.PASS, "the mail scheduler cron is active",
                    Map.of("cron", 3, "active", true), null);
            case WARN -> new Finding(CheckIds.SCHEDULER_ACTIVE, Status.WARN, "the mail scheduler is late",
                    Map.of("cron", 3, "active", true), "check max_cron_threads");
            case FAIL -> new Finding(CheckIds.SCHEDULER_ACTIVE, Status.FAIL, "the mail scheduler cron is inactive: no mail leaves",
                    Map.of("cron", 3, "active", false),
                    "re-enable the Mail: Email Queue Manager cron (Settings > Technical > Scheduled Actions)");
            case UNKNOWN -> new Finding(CheckIds.SCHEDULER_ACTIVE, Status.UNKNOWN, "not judged", Map.of(), null);
        });
        return TargetReport.of(snapshot(target, null), findings);
    }

    /** What the evaluator makes of a probe that could not read the target. */
    static TargetReport failed(String target, String kind, String message) {
        return Evaluator.evaluate(snapshot(target, new ProbeFailure(kind, message)), THRESHOLDS);
    }

    static Snapshot snapshot(String target, ProbeFailure failure) {
        return new Snapshot(target, T0, Duration.ofMillis(100), 3, "18.0", failure, null, null, List.of(), null, List.of());
    }
}
