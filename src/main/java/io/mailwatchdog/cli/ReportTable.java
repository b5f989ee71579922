package io.mailwatchdog.cli;

import io.mailwatchdog.health.Durations;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.QueueSnapshot;
import java.util.List;

/** The readable table {@code check} prints on a terminal. */
final class ReportTable {

    private ReportTable() {
    }

    static String render(Status overall, List<TargetReport> reports) {
        StringBuilder out = new StringBuilder();
        for (TargetReport r : reports) {
            out.append(r.target()).append(": ").append(r.status());
            if (r.snapshot().odooVersion() != null) {
                out.append("  (Odoo ").append(r.snapshot().odooVersion()).append(", ")
                        .append(r.snapshot().requests()).append(" requests, ")
                        .append(r.snapshot().duration().toMillis()).append(" ms)");
            }
            out.append('\n');
            QueueSnapshot q = r.snapshot().queue();
            if (q != null) {
                out.append("  queue: ");
                q.counts().byState().forEach((state, n) -> out.append(state).append(' ').append(n).append("  "));
                out.append("| due ").append(q.due()).append(", oldest ")
                        .append(Durations.human(q.oldestDueAgeSeconds())).append('\n');
            }
            int width = r.findings().stream().mapToInt(f -> f.check().length()).max().orElse(10);
            for (Finding f : r.findings()) {
                out.append(String.format("  %-7s %-" + width + "s  %s%n", f.status(), f.check(), f.summary()));
                if (f.status() != Status.PASS && f.hint() != null) {
                    out.append(String.format("  %-7s %-" + width + "s  → %s%n", "", "", f.hint()));
                }
            }
            out.append('\n');
        }
        out.append("overall: ").append(overall).append('\n');
        return out.toString();
    }
}
