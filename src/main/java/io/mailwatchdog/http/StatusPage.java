package io.mailwatchdog.http;

import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.text.Texts;
import java.time.Instant;
import java.util.List;

/** The {@code /} page: the status at a glance, one table per target, refreshing itself every 30 s. */
final class StatusPage {

    private StatusPage() {
    }

    /** HTML-escapes text and attribute values (the same forms the Redactor knows). */
    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String render(Status overall, List<TargetReport> reports, List<StatusBoard.Action> actions, Instant now) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"30\">")
                .append("<title>odoo-mail-watchdog: ").append(esc(overall)).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}")
                .append(".PASS{color:#070}.WARN{color:#a60}.FAIL{color:#b00}.UNKNOWN{color:#666}</style></head><body>\n");
        h.append("<h1>odoo-mail-watchdog: <span class=\"").append(esc(overall)).append("\">").append(esc(overall))
                .append("</span></h1>\n<p>").append(esc(now)).append(" (refreshes every 30 s)</p>\n");
        if (reports.isEmpty()) {
            h.append("<p>No target probed yet.</p>\n");
        }
        for (TargetReport r : reports) {
            target(h, r);
        }
        if (!actions.isEmpty()) {
            h.append("<h2>Last actions</h2>\n<table><tr><th>at</th><th>target</th><th>action</th><th>outcome</th><th>detail</th></tr>\n");
            for (StatusBoard.Action a : actions) {
                h.append("<tr><td>").append(esc(a.at())).append("</td><td>").append(esc(a.target())).append("</td><td>")
                        .append(esc(a.action())).append("</td><td>").append(esc(a.outcome())).append("</td><td>")
                        .append(esc(a.detail())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void target(StringBuilder h, TargetReport r) {
        Snapshot s = r.snapshot();
        h.append("<h2>").append(esc(r.target())).append(": <span class=\"").append(esc(r.status())).append("\">")
                .append(esc(r.status())).append("</span>")
                .append(r.recovery() == null ? "" : " <small>(" + esc(r.recovery()) + ")</small>").append("</h2>\n<table>\n");
        row(h, "probed", esc(s.takenAt()) + (s.odooVersion() == null ? "" : ", Odoo " + esc(s.odooVersion())));
        if (s.failure() != null) {
            row(h, "error", esc(s.failure().kind()) + ": " + esc(s.failure().message()));
        }
        QueueSnapshot q = s.queue();
        if (q != null) {
            StringBuilder counts = new StringBuilder();
            q.counts().byState().forEach((state, n) -> counts.append(counts.length() == 0 ? "" : ", ")
                    .append(esc(state)).append(' ').append(n));
            row(h, "queue", counts.toString());
            row(h, "oldest due", q.due() == 0 ? "none due"
                    : q.due() + " due, the oldest waiting " + esc(Texts.human(q.oldestDueAgeSeconds())));
        }
        SchedulerSnapshot c = s.scheduler();
        if (c != null) {
            String text = !c.found() ? "not found"
                    : esc(c.activity()) + ", next call " + esc(c.nextcall())
                    + (c.overdueSeconds() > 0 ? " (overdue by " + esc(Texts.human(c.overdueSeconds())) + ")" : "")
                    + (c.failureCount() != null && c.failureCount() > 0 ? ", " + c.failureCount() + " failure(s)" : "");
            row(h, "scheduler", text);
        }
        if (s.servers() != null) {
            for (ServerSnapshot server : s.servers()) {
                String test = server.test() == null ? "not tested" : esc(server.test().outcome())
                        + (server.test().failureClass() == null ? "" : " " + esc(server.test().failureClass()));
                row(h, "server", esc(WatchdogMetrics.serverLabel(server)) + " (" + esc(server.host()) + ":" + server.port()
                        + "): " + test);
            }
        }
        for (Finding f : r.findings()) {
            if (f.status() != Status.PASS) {
                row(h, "<span class=\"" + esc(f.status()) + "\">" + esc(f.status()) + "</span> " + esc(f.check()),
                        esc(f.summary()) + (f.hint() == null ? "" : "<br><i>" + esc(f.hint()) + "</i>"));
            }
        }
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String headHtml, String cellHtml) {
        h.append("<tr><th>").append(headHtml).append("</th><td>").append(cellHtml).append("</td></tr>\n");
    }
}
