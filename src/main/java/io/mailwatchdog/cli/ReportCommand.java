package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.history.HistoryEntry;
import io.mailwatchdog.history.HistoryLines;
import io.mailwatchdog.history.HistoryReader;
import io.mailwatchdog.history.ProbeHistory;
import io.mailwatchdog.history.WindowReport;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = {
        "Tells what happened to one target's outgoing mail in a window, for a ticket:",
        "the queue before and at the end, when each check went bad and came back,",
        "what the watchdog did and to how many mails, how long the backlog took to",
        "drain, and the circuit and quota events. From the probe history and the",
        "journal in state-dir; never contacts Odoo.",
        "Exit: 0 reported, 2 nothing recorded in the window, 3 bad option or",
        "unreadable files, 78 invalid config."})
final class ReportCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--since", paramLabel = "TIME|AGE", required = true,
            description = "the window's start: an instant (2026-11-23T00:00:00Z) or an age ago (90s, 30m, 24h, 7d)")
    String since;

    @Option(names = "--until", paramLabel = "TIME|AGE", description = "the window's end, in the same forms (default: now)")
    String until;

    @Option(names = "--format", paramLabel = "markdown|json", defaultValue = "markdown",
            description = "output: markdown (default), json")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("markdown", "json").contains(format)) {
            err.println("error: --format must be markdown or json, not '" + format + "'");
            return ExitCodes.UNKNOWN;
        }
        Instant now = main.clock.instant();
        Instant from;
        Instant to;
        try {
            from = JournalCommand.since(since, now);
            to = until == null ? now : JournalCommand.since(until, now);
        } catch (IllegalArgumentException e) {
            // since() names --since in its message; --until takes the same forms
            err.println("error: " + (until != null && e.getMessage().contains("'" + until + "'")
                    ? e.getMessage().replace("--since", "--until") : e.getMessage()));
            return ExitCodes.UNKNOWN;
        }
        if (!from.isBefore(to)) {
            err.println("error: the window is empty: --since " + from + " is not before --until " + to);
            return ExitCodes.UNKNOWN;
        }
        try {
            Settings settings = Context.load(main, err);
            TargetSettings target = OneTarget.choose(settings, main, err, "report");
            HistoryLines history = HistoryReader.read(settings.stateDir(), target.name());
            List<JournalRecord> records = List.of();
            int journalSkipped = 0;
            if (Files.isRegularFile(Journal.file(settings.stateDir(), target.name()))) {
                Journal journal = Journal.open(settings.stateDir(), target.name(), main.clock);
                records = journal.read(JournalQuery.all());
                journalSkipped = journal.skippedLines();
            }
            WindowReport report = WindowReport.of(target.name(), from, to, history, records, journalSkipped);
            String text = "json".equals(format)
                    ? ReportJson.JSON.writeValueAsString(report) + "\n"
                    : ReportMarkdown.render(report);
            Redactor redactor = new Redactor(settings);
            out.print(redactor.apply(text));
            out.flush();
            if (report.empty()) {
                err.println(redactor.apply(nothingRecorded(settings, target, from, to, history, records)));
                return ExitCodes.FAIL;
            }
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot read the history or the journal: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    /** Why the window is empty, and what there is instead. */
    private static String nothingRecorded(Settings settings, TargetSettings target, Instant from, Instant to,
                                          HistoryLines history, List<JournalRecord> records) {
        String head = "nothing recorded for " + target.name() + " between " + from + " and " + to
                + ": no probe, event or journal record in that window";
        if (history.isEmpty() && records.isEmpty()) {
            return head + "; there is no history (" + ProbeHistory.file(settings.stateDir(), target.name())
                    + ") and no journal of " + target.name() + " at all: the daemon (run) writes them, check does not";
        }
        List<HistoryEntry> all = history.entries();
        String span = all.isEmpty() ? "no history" : "history from " + all.get(0).at() + " to " + all.get(all.size() - 1).at();
        String journal = records.isEmpty() ? "no journal" : "journal from " + records.get(0).at() + " to "
                + records.get(records.size() - 1).at();
        return head + " (" + span + "; " + journal + ")";
    }
}
