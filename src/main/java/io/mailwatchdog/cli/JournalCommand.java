package io.mailwatchdog.cli;

import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "journal", description = {
        "Lists the recent records of the journal: every write the watchdog made to Odoo (its intent, then its outcome).",
        "`journal show SEQ` prints one record with its intent or outcome; `journal export` writes them all as JSON.",
        "Reads state-dir only; never contacts Odoo.",
        "Exit: 0 listed (also when empty), 3 bad option or unreadable journal, 78 invalid config."},
        subcommands = {JournalCommand.ListCommand.class, JournalShowCommand.class, JournalExportCommand.class})
final class JournalCommand implements Callable<Integer> {

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([smhd])");

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--action", paramLabel = "ACTION", scope = CommandLine.ScopeType.INHERIT, description = "only records of this action (e.g. revive-scheduler, flush)")
    String action;

    @Option(names = "--since", paramLabel = "TIME|AGE", scope = CommandLine.ScopeType.INHERIT,
            description = "only records at or after an instant (2026-11-23T00:00:00Z) or an age ago (90s, 30m, 24h, 7d)")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "the most recent N records over all listed targets (default 50; 0 = all)")
    int limit;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "output: table (default), json")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("table", "json").contains(format)) {
            err.println("error: --format must be table or json, not '" + format + "'");
            return ExitCodes.UNKNOWN;
        }
        if (limit < 0) {
            err.println("error: --limit must be 0 (all) or positive, not " + limit);
            return ExitCodes.UNKNOWN;
        }
        Instant from;
        try {
            from = since == null ? null : since(since, main.clock.instant());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
        try {
            Settings settings = Context.load(main, err);
            List<TargetSettings> targets = Context.targets(settings, main, err);
            JournalQuery query = new JournalQuery(action, from, limit);
            List<JournalRecord> records = new ArrayList<>();
            for (TargetSettings t : targets) {
                Journal journal = Journal.open(settings.stateDir(), t.name(), main.clock);
                records.addAll(journal.read(query));
                if (journal.skippedLines() > 0) {
                    err.println("note: skipped " + journal.skippedLines() + " unreadable line(s) in " + journal.path()
                            + " (a write torn by a crash)");
                }
            }
            records.sort(Comparator.comparing(JournalRecord::at).thenComparing(JournalRecord::target)
                    .thenComparingLong(JournalRecord::seq));
            if (limit > 0 && records.size() > limit) {
                records = records.subList(records.size() - limit, records.size());
            }
            String text = "json".equals(format)
                    ? ReportJson.JSON.writeValueAsString(records) + "\n"
                    : table(records, settings, targets);
            out.print(new Redactor(settings).apply(text));
            out.flush();
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot read the journal: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    /** An ISO instant, or an age before now such as {@code 24h}. */
    static Instant since(String text, Instant now) {
        Matcher ago = AGO.matcher(text.trim());
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since takes an instant like 2026-11-23T00:00:00Z or an age like 24h,"
                    + " not '" + text + "'");
        }
    }

    private String table(List<JournalRecord> records, Settings settings, List<TargetSettings> targets) {
        if (records.isEmpty()) {
            String which = targets.stream().map(TargetSettings::name).collect(Collectors.joining(", "));
            String filters = (action == null ? "" : " of action " + action) + (since == null ? "" : " since " + since);
            return "no journal records" + filters + " for " + (which.isEmpty() ? "any target" : which) + " in "
                    + settings.stateDir().resolve("journal") + "\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SEQ", "TIME", "TARGET", "TYPE", "ACTION", "IDS", "WHAT"});
        for (JournalRecord r : records) {
            rows.add(new String[] {String.valueOf(r.seq()), r.at().toString(), r.target(), r.type(), r.action(),
                    ids(r.ids()), what(r)});
        }
        int[] width = new int[7];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String ids(List<Integer> ids) {
        if (ids.isEmpty()) {
            return "-";
        }
        String all = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return ids.size() <= 5 ? all : ids.subList(0, 3).stream().map(String::valueOf).collect(Collectors.joining(","))
                + " +" + (ids.size() - 3) + " more";
    }

    /** {@code journal list}: the same as {@code journal}, for scripts that name the verb. */
    @Command(name = "list", description = "Lists the recent records (the same as `journal` alone).")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        JournalCommand parent;

        @Override
        public Integer call() {
            return parent.call();
        }
    }

    static String what(JournalRecord r) {
        if (r.isOutcomeRecord()) {
            return r.outcome() + " (intent " + r.intentSeq() + ")" + (r.message() == null ? "" : ": " + r.message());
        }
        String reason = r.reason() == null ? "" : r.reason();
        return r.check() == null ? reason : reason + " [" + r.check() + "]";
    }
}
