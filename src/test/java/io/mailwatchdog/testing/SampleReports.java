package io.mailwatchdog.testing;

import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.AgeBucket;
import io.mailwatchdog.probe.DatabaseSnapshot;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A stalled target's report, built by hand: a backlog, two failure signatures, a refused SMTP server, the cron off. */
public final class SampleReports {

    private SampleReports() {
    }

    public static final List<Integer> TRANSPORT_IDS = List.of(838, 839, 840, 841, 842, 843, 844);

    public static QueueSnapshot queue() {
        return new QueueSnapshot(new MailStateCounts(Map.of("outgoing", 60, "sent", 12, "exception", 9)), 58, 700,
                10_800, List.of(new AgeBucket("2-4h", 7200, 14_400, 58)), 7, 9, 9, 200, List.of(
                new FailureSignatureGroup("111\nConnection refused", FailureClass.TRANSPORT, 7,
                        Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T11:00:00Z"), TRANSPORT_IDS),
                new FailureSignatureGroup("550 5.1.1 <addr>: user unknown", FailureClass.RECIPIENT, 2,
                        Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:30:00Z"), List.of(901, 902))));
    }

    public static SchedulerSnapshot scheduler() {
        return new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", false, Instant.parse("2026-11-23T09:00:00Z"),
                Instant.parse("2026-11-23T08:00:00Z"), "1 hours", 3600, null, 0, null, 0);
    }

    public static List<ServerSnapshot> servers() {
        return List.of(new ServerSnapshot(1, "smtp-relay", "127.0.0.1", 2599, "relay-user", "none", 10, null,
                new ServerSnapshot.SmtpTest("FAIL", "TRANSPORT", "connection refused (errno 111)",
                        Instant.parse("2026-11-23T11:59:00Z"), null)));
    }

    public static Snapshot snapshot(String target, Instant at) {
        return new Snapshot(target, at, Duration.ofMillis(310), 12, "18.0", null, queue(), scheduler(), servers(),
                new DatabaseSnapshot(false, List.of()), List.of());
    }

    public static TargetReport stalled(String target, Instant at) {
        return TargetReport.of(snapshot(target, at), List.of(
                new Finding(CheckIds.ODOO_REACHABLE, Status.PASS, "Odoo 18.0 answers", Map.of(), null),
                new Finding(CheckIds.SCHEDULER_ACTIVE, Status.FAIL, "the mail scheduler cron is inactive: no mail leaves",
                        Map.of("cron", 3, "active", false), "re-enable the Mail: Email Queue Manager cron"),
                new Finding(CheckIds.QUEUE_OLDEST_OUTGOING, Status.FAIL, "58 due outgoing mail, the oldest waiting 3 h",
                        Map.of("due", 58), "check the scheduler"),
                new Finding(CheckIds.QUEUE_EXCEPTIONS, Status.WARN, "7 mail(s) failed in the last hour",
                        Map.of("lastHour", 7), "check the SMTP server"),
                new Finding(CheckIds.SMTP_SERVER_TEST, Status.UNKNOWN, "not tested yet", Map.of(), null)));
    }
}
