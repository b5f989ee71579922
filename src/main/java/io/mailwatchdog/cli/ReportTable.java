package io.mailwatchdog.cli;

import io.mailwatchdog.text.Texts;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import java.util.List;

/** The readable table {@code check} prints on a terminal. */
final class ReportTable {

    private ReportTable() {
    }

    static String render(Status overall, List<TargetReport> reports) {
        StringBuilder out = new StringBuilder();
        for (TargetReport r : reports) {
            out.append(r.target()).append(": ").append(r.status());
            if (r.recovery() != null) {
                out.append(" (").append(r.recovery()).append(')');
            }
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
                        .append(Texts.human(q.oldestDueAgeSeconds())).append('\n');
                if (q.exceptionSampleSize() > 0) {
                    out.append("  failures (signatures of the latest ").append(q.exceptionSampleSize())
                            .append(" exceptions, at most ").append(q.exceptionSampleLimit()).append(" read):\n");
                    for (FailureSignatureGroup g : q.signatures().subList(0, Math.min(3, q.signatures().size()))) {
                        out.append(String.format("    %-10s %4d×  %s  e.g. ids %s%n", g.failureClass(), g.count(),
                                shorten(g.signature()), g.exampleIds()));
                    }
                }
            }
            SchedulerSnapshot c = r.snapshot().scheduler();
            if (c != null && c.found()) {
                out.append("  scheduler: cron ").append(c.id()).append(c.active() || c.hold() != null ? " " + c.activity() : " INACTIVE")
                        .append(", every ").append(c.interval()).append(", next ").append(c.nextcall())
                        .append(", last ").append(c.lastcall() == null ? "never" : c.lastcall().toString());
                if (c.failureCount() != null) {
                    out.append(", failures ").append(c.failureCount());
                }
                if (c.numbercall() != null) {
                    out.append(", numbercall ").append(c.numbercall());
                }
                out.append('\n');
            }
            for (ServerSnapshot server : r.snapshot().servers()) {
                ServerSnapshot.SmtpTest t = server.test();
                out.append("  server: ").append(server.name()).append(" (").append(server.host()).append(':')
                        .append(server.port()).append(") ").append(t.outcome())
                        .append(t.failureClass() == null ? "" : " " + t.failureClass())
                        .append("PASS".equals(t.outcome()) || t.detail() == null ? "" : ": " + t.detail()).append('\n');
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

    private static String shorten(String signature) {
        String line = signature.replaceAll("\\s+", " ").strip();
        return line.length() > 90 ? line.substring(0, 89) + "…" : line;
    }
}
