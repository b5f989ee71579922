package io.mailwatchdog.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code README.txt} of a support bundle: what it is, each file, what is missing and what was left out on purpose. */
final class BundleReadme {

    static final String ENTRY = "README.txt";

    /** Every file a bundle may hold, in the order it holds them, and what it is. */
    static final Map<String, String> FILES = files();

    private BundleReadme() {
    }

    private static Map<String, String> files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("config.txt", "the effective configuration of this target (as `config show --target` prints it), every secret masked as ********");
        f.put("last-snapshot.json", "everything the daemon's last probe read (state-dir/last): queue shape, scheduler cron, mail servers, database; savedAt says when");
        f.put("findings.json", "the findings of that probe: check id, status, summary, evidence and hint of each check");
        f.put("history.jsonl", "the probe history of the last " + SupportBundle.HISTORY_AGE.toDays() + " days (at most "
                + SupportBundle.HISTORY_LINES + " lines): one JSON line per probe (status of each check, queue counts, due,"
                + " oldest due age, exceptions of the last hour, top failure signatures with example mail ids) or event"
                + " (circuit opened/closed, retry paused...)");
        f.put("journal.jsonl", "the last " + SupportBundle.JOURNAL_RECORDS + " records of the journal: every write the"
                + " watchdog made to Odoo, its intent (what, why, which mail ids) then its outcome (done, failed, unknown)");
        f.put("failure-signatures.txt", "the failure signatures of the last probe: failure class, count, first and last seen,"
                + " example mail ids, and the normalised failure reason (addresses, ids and numbers taken out)");
        f.put("smtp-tests.json", "the outgoing mail servers of the last probe with their connection test (Odoo's"
                + " test_smtp_connection), and the test results the daemon remembers per server login (state-dir/smtp-tests)");
        f.put("scheduler.json", "the mail scheduler cron as the last probe read it: active, nextcall, lastcall, interval,"
                + " numbercall (16.0/17.0), failure_count (18.0+), overdue seconds, a watchdog's hold");
        f.put(DaemonLogTail.ENTRY, "the last " + DaemonLogTail.MAX_LINES + " lines of the daemon's log file named by --log-file,"
                + " secrets masked");
        f.put(ENTRY, "this file");
        return java.util.Collections.unmodifiableMap(f);
    }

    static String render(String target, Instant madeAt, String version, List<String> names, Map<String, String> missing,
                         int historySkipped, int journalSkipped) {
        StringBuilder out = new StringBuilder();
        out.append("odoo-mail-watchdog support bundle\n\n");
        out.append("target:  ").append(target).append('\n');
        out.append("made at: ").append(madeAt).append(" (UTC) by odoo-mail-watchdog ").append(version).append('\n');
        out.append("from:    the watchdog's state-dir only; nothing was read from Odoo to make it\n\n");
        out.append("Files\n");
        for (String name : names) {
            out.append(String.format("  %-23s %s%n", name, FILES.getOrDefault(name, "")));
        }
        if (!missing.isEmpty()) {
            out.append("\nNot in this bundle\n");
            FILES.keySet().stream().filter(missing::containsKey)
                    .forEach(name -> out.append(String.format("  %-23s %s%n", name, missing.get(name))));
        }
        if (historySkipped > 0 || journalSkipped > 0) {
            out.append("\nUnreadable lines skipped (torn by a crash or damaged): history ").append(historySkipped)
                    .append(", journal ").append(journalSkipped).append('\n');
        }
        out.append("""

                Left out on purpose
                  - mail bodies, subjects and addresses: the watchdog never reads them; mail is named by its id only
                  - state-dir/archive: the rows of cancelled or purged mail, whose bodies hold password-reset links
                  - every secret: the targets' passwords, the HTTP token and the webhook URLs are masked as ********,
                    and every file was checked for them before this zip was written
                """);
        return out.toString();
    }
}
