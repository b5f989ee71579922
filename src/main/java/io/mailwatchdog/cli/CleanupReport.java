package io.mailwatchdog.cli;

import io.mailwatchdog.act.StaleBatchReport;
import io.mailwatchdog.act.StaleSummary;
import io.mailwatchdog.config.StaleSettings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.text.Texts;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The plain text of {@code cleanup}: per kind what it would do or did, each batch, what it left and why. */
final class CleanupReport {

    private CleanupReport() {
    }

    static String render(StaleSummary s, TargetSettings target, Path stateDir) {
        StringBuilder b = new StringBuilder();
        StaleSettings p = target.stale();
        boolean dry = !s.applied();
        b.append(s.target()).append(": ").append(dry ? "dry-run, nothing written (--apply to clean)" : "applied").append('\n');
        b.append("  policy: cancel outgoing mail due for more than ").append(Texts.human(p.cancelOutgoingAfter()))
                .append("; exceptions that failed more than ").append(Texts.human(p.exceptionsAfter())).append(" ago: ")
                .append(p.purge() ? "purge (cancel instead where Odoo refuses the unlink)" : "cancel")
                .append("; batches of ").append(p.batchSize()).append('\n');
        if (s.stop() == StaleSummary.Stop.NEUTRALIZED || s.stop() == StaleSummary.Stop.LOCK_BUSY
                || s.stop() == StaleSummary.Stop.WAITING) {
            b.append("  refused: ").append(s.stopDetail()).append("; nothing was written\n");
        }
        if (s.stop() != StaleSummary.Stop.NEUTRALIZED) {
            kind(b, "outgoing", s.outgoing(), dry);
            kind(b, "exceptions", s.exceptions(), dry);
        }
        if (s.left() > 0) {
            b.append("  left: ").append(s.left()).append('\n');
            reasons(b, "outgoing", s.outgoing().left());
            reasons(b, "exception", s.exceptions().left());
        }
        if (!s.outgoing().skipped().isEmpty() || !s.exceptions().skipped().isEmpty()) {
            b.append("  not written, nothing to do:\n");
            reasons(b, "outgoing", s.outgoing().skipped());
            reasons(b, "exception", s.exceptions().skipped());
        }
        if (!s.batches().isEmpty()) {
            b.append("  batches (").append(s.batches().size()).append("):\n");
            for (StaleBatchReport r : s.batches()) {
                b.append(String.format("    #%-3d %-9s %-6s %5d  ids %s", r.number(), r.kind(), r.action(), r.count(),
                        r.abbreviatedIds()));
                if (r.insteadOfPurge() != null) {
                    b.append("  (instead of purge: ").append(r.insteadOfPurge()).append(')');
                }
                b.append("  ").append(r.outcome());
                if (r.archive() != null) {
                    b.append("  archive ").append(r.archive().path()).append(" (").append(r.archive().rows())
                            .append(" rows, sha256 ").append(r.archive().sha256(), 0, 12).append("…)");
                }
                b.append('\n');
            }
        }
        Path where = Archive.of(stateDir, target.name(), Clock.systemUTC()).directory();
        if (dry) {
            if (!s.batches().isEmpty()) {
                b.append("  archives: each batch's rows (and attachments) go to ").append(where)
                        .append(" (mode 0600) before it is written\n");
            }
            if (s.archivesExpired() > 0) {
                b.append("  ").append(s.archivesExpired()).append(" archive(s) older than ")
                        .append(Texts.human(p.archiveRetention())).append(" would be deleted\n");
            }
        } else if (!s.archives().isEmpty() || s.archivesExpired() > 0) {
            b.append("  archives: ").append(s.archives().size()).append(" written in ").append(where);
            if (s.archivesExpired() > 0) {
                b.append("; ").append(s.archivesExpired()).append(" older than ").append(Texts.human(p.archiveRetention()))
                        .append(" deleted");
            }
            b.append('\n');
        }
        if (s.stop() != StaleSummary.Stop.NEUTRALIZED && s.stop() != StaleSummary.Stop.LOCK_BUSY
                && s.stop() != StaleSummary.Stop.WAITING) {
            b.append("  ").append(s.stopDetail()).append('\n');
        }
        return b.toString();
    }

    private static void kind(StringBuilder b, String label, StaleSummary.KindTally k, boolean dry) {
        b.append(String.format("  %-10s stale %d", label, k.stale()));
        if (k.stale() > 0 || k.cancelled() > 0 || k.purged() > 0) {
            String would = dry ? "would " : "";
            int plain = k.cancelled() - k.cancelledInsteadOfPurge().values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder what = new StringBuilder();
            if (k.purged() > 0) {
                what.append(would).append(dry ? "purge " : "purged ").append(k.purged());
            }
            if (plain > 0 || k.purged() == 0 && k.cancelled() == 0) {
                what.append(what.length() > 0 ? ", " : "").append(would).append(dry ? "cancel " : "cancelled ").append(plain);
            }
            int instead = k.cancelled() - plain;
            if (instead > 0) {
                what.append(what.length() > 0 ? ", " : "").append(would).append(dry ? "cancel " : "cancelled ")
                        .append(instead).append(" instead of purging");
            }
            b.append(": ").append(what);
        }
        b.append('\n');
        for (Map.Entry<String, Integer> e : k.cancelledInsteadOfPurge().entrySet()) {
            b.append("               ").append(e.getValue()).append("× ").append(e.getKey()).append('\n');
        }
    }

    private static void reasons(StringBuilder b, String kind, Map<String, Integer> reasons) {
        reasons.forEach((reason, n) -> b.append("    ").append(kind).append(' ').append(n).append("× ").append(reason)
                .append('\n'));
    }
}
