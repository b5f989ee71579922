package io.mailwatchdog.cli;

import io.mailwatchdog.history.ActionCount;
import io.mailwatchdog.history.CheckSpell;
import io.mailwatchdog.history.Drain;
import io.mailwatchdog.history.HistoryEntry;
import io.mailwatchdog.history.MailCounts;
import io.mailwatchdog.history.ProbePoint;
import io.mailwatchdog.history.QueueShape;
import io.mailwatchdog.history.WindowReport;
import io.mailwatchdog.text.Texts;

/** The {@code report} command's Markdown: what happened in a window, to paste into a ticket. */
final class ReportMarkdown {

    private ReportMarkdown() {
    }

    static String render(WindowReport r) {
        StringBuilder out = new StringBuilder();
        out.append("## Outgoing mail of ").append(r.target()).append(", ").append(r.since()).append(" to ")
                .append(r.until()).append("\n\n");
        if (r.empty()) {
            return out.append("Nothing was recorded in this window: no probe, no event, no journal record.\n").toString();
        }
        WindowReport.Recorded rec = r.recorded();
        out.append("Recorded in this window: ").append(rec.probes()).append(" probes, ").append(rec.events())
                .append(" events, ").append(rec.journalRecords()).append(" journal records.");
        if (rec.skippedHistoryLines() > 0 || rec.skippedJournalLines() > 0) {
            out.append(" Unreadable lines skipped: history ").append(rec.skippedHistoryLines()).append(", journal ")
                    .append(rec.skippedJournalLines()).append('.');
        }
        out.append("\n\n");
        queue(out, r);
        checks(out, r);
        actions(out, r);
        mails(out, r.mails());
        drains(out, r);
        events(out, r);
        return out.toString();
    }

    private static void queue(StringBuilder out, WindowReport r) {
        out.append("### Queue\n\n");
        if (r.baseline() == null) {
            out.append("No probe read the queue in or just before this window.\n\n");
            return;
        }
        out.append("| | probe at | status | outgoing | exception | due | oldest due | failed in the last hour |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        row(out, r.baseline().beforeWindow() ? "before (baseline)" : "first (baseline)", r.baseline());
        if (r.end() != null) {
            row(out, "at the end", r.end());
        }
        out.append('\n');
    }

    private static void row(StringBuilder out, String label, ProbePoint p) {
        QueueShape q = p.queue();
        out.append("| ").append(label).append(" | ").append(p.at()).append(" | ").append(p.status()).append(" | ")
                .append(q.count("outgoing")).append(" | ").append(q.count("exception")).append(" | ").append(q.due())
                .append(" | ").append(Texts.human(q.oldestDueAgeSeconds())).append(" | ").append(q.exceptionsLastHour())
                .append(" |\n");
    }

    private static void checks(StringBuilder out, WindowReport r) {
        out.append("### Checks that went bad\n\n");
        if (r.checks().isEmpty()) {
            out.append("No check went WARN or FAIL in this window.\n\n");
            return;
        }
        out.append("| check | worst | bad from | back to PASS | for |\n|---|---|---|---|---|\n");
        for (CheckSpell s : r.checks()) {
            out.append("| ").append(s.check()).append(" | ").append(s.worst()).append(" | ").append(s.from())
                    .append(s.beganBeforeWindow() ? " (before the window)" : "").append(" | ")
                    .append(s.ongoing() ? "not yet" : s.to().toString()).append(" | ")
                    .append(Texts.human(s.seconds())).append(s.ongoing() ? " so far" : "").append(" |\n");
        }
        out.append('\n');
    }

    private static void actions(StringBuilder out, WindowReport r) {
        out.append("### What the watchdog did\n\n");
        if (r.actions().isEmpty()) {
            out.append("The watchdog wrote nothing to Odoo in this window.\n\n");
            return;
        }
        out.append("| action | intents | done | failed | unknown | no outcome yet | first | last |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (ActionCount a : r.actions()) {
            out.append("| ").append(a.action()).append(" | ").append(a.intents()).append(" | ").append(a.done())
                    .append(" | ").append(a.failed()).append(" | ").append(a.unknown()).append(" | ").append(a.open())
                    .append(" | ").append(a.first()).append(" | ").append(a.last()).append(" |\n");
        }
        out.append('\n');
    }

    private static void mails(StringBuilder out, MailCounts m) {
        out.append("### Mails\n\n")
                .append("- requeued for a retry: ").append(m.requeued()).append('\n')
                .append("- delivered after a retry (sent or gone): ").append(m.deliveredByRetry())
                .append("; failed again: ").append(m.stillFailingAfterRetry()).append('\n')
                .append("- delivered by flushing the queue (sent or gone): ").append(m.deliveredByFlush()).append('\n')
                .append("- cancelled as stale: ").append(m.cancelled()).append('\n')
                .append("- purged: ").append(m.purged());
        if (m.purgesRefused() > 0) {
            out.append("; purges Odoo refused: ").append(m.purgesRefused());
        }
        out.append("\n\n");
    }

    private static void drains(StringBuilder out, WindowReport r) {
        out.append("### Drain\n\n");
        if (r.drains().isEmpty()) {
            out.append(r.baseline() == null ? "Not known: no probe read the queue.\n\n" : "No backlog in this window.\n\n");
            return;
        }
        for (Drain d : r.drains()) {
            out.append("- backlog from ").append(d.from()).append(d.beganBeforeWindow() ? " (already at the baseline)" : "");
            if (d.drained()) {
                out.append(", drained at ").append(d.to()).append(": took ").append(Texts.human(d.seconds()));
            } else {
                out.append(": not drained yet (").append(Texts.human(d.seconds())).append(" so far)");
            }
            out.append("; at most ").append(d.peakDue()).append(" due, ").append(d.peakExceptions()).append(" exceptions\n");
        }
        out.append('\n');
    }

    private static void events(StringBuilder out, WindowReport r) {
        out.append("### Events\n\n");
        if (r.events().isEmpty()) {
            out.append("No event (circuit, quota) in this window.\n");
            return;
        }
        for (HistoryEntry e : r.events()) {
            out.append("- ").append(e.at()).append(' ').append(Texts.oneLine(e.kind()));
            if (e.text() != null && !e.text().isBlank()) {
                out.append(": ").append(Texts.oneLine(e.text()));
            }
            out.append('\n');
        }
    }
}
