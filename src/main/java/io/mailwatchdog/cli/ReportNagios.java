package io.mailwatchdog.cli;

import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.QueueSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Nagios/Icinga plugin output: one status line, then perfdata after "|"
 * ({@code label=value[UOM];warn;crit}), labels prefixed by the target.
 */
final class ReportNagios {

    private static final Map<Status, String> WORDS = Map.of(Status.PASS, "OK", Status.WARN, "WARNING",
            Status.FAIL, "CRITICAL", Status.UNKNOWN, "UNKNOWN");

    private ReportNagios() {
    }

    static String render(Status overall, List<TargetReport> reports, Map<String, long[]> oldestThresholds) {
        List<String> parts = new ArrayList<>();
        List<String> perf = new ArrayList<>();
        for (TargetReport r : reports) {
            List<String> bad = new ArrayList<>();
            for (Finding f : r.findings()) {
                if (f.status() != Status.PASS) {
                    bad.add(f.check() + " " + f.status() + ": " + f.summary());
                }
            }
            parts.add(r.target() + " " + r.status() + (bad.isEmpty() ? "" : " (" + String.join("; ", bad) + ")"));
            QueueSnapshot q = r.snapshot().queue();
            if (q != null) {
                String p = label(r.target());
                q.counts().byState().forEach((state, n) -> perf.add(p + state + "'=" + n));
                long[] th = oldestThresholds.getOrDefault(r.target(), new long[] {0, 0});
                perf.add(p + "oldest_outgoing_age'=" + q.oldestDueAgeSeconds() + "s;" + th[0] + ";" + th[1]);
                perf.add(p + "exceptions_last_hour'=" + q.exceptionsLastHour());
                perf.add(p + "requests'=" + r.snapshot().requests());
            }
        }
        String line = "ODOO MAIL " + WORDS.get(overall) + " - " + String.join(", ", parts).replace('|', '/');
        return perf.isEmpty() ? line + "\n" : line + " | " + String.join(" ", perf) + "\n";
    }

    private static String label(String target) {
        return "'" + target.replace("'", "") + "_";
    }
}
