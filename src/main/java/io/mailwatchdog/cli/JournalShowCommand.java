package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = {
        "Prints one journal record in full, with its intent (for an outcome) or its outcome (for an intent; none"
                + " yet means the write was cut off and is settled at the next start).",
        "Exit: 0 shown, 2 no such record, 3 error, 78 invalid config."})
final class JournalShowCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    JournalCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SEQ", description = "the record's seq (see `journal`)")
    long seq;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = Context.load(parent.main, err);
            TargetSettings target = OneTarget.choose(settings, parent.main, err, "journal show");
            Journal journal = Journal.open(settings.stateDir(), target.name(), parent.main.clock);
            List<JournalRecord> all = journal.read(JournalQuery.all());
            JournalRecord record = all.stream().filter(r -> r.seq() == seq).findFirst().orElse(null);
            if (record == null) {
                err.println("no record " + seq + " in " + journal.path());
                return ExitCodes.FAIL;
            }
            long intentSeq = record.isOutcomeRecord() ? record.intentSeq() : record.seq();
            List<JournalRecord> pair = all.stream().filter(r -> r.seq() == intentSeq
                    || r.isOutcomeRecord() && r.intentSeq() != null && r.intentSeq() == intentSeq).toList();
            StringBuilder text = new StringBuilder();
            for (JournalRecord r : pair) {
                text.append(r.seq()).append("  ").append(r.at()).append("  ").append(r.type()).append("  ")
                        .append(r.action()).append("  ").append(JournalCommand.what(r)).append('\n');
            }
            if (pair.stream().noneMatch(JournalRecord::isOutcomeRecord)) {
                text.append("no outcome yet: the write was cut off (or is running now); the next run settles it\n");
            }
            text.append(ReportJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(pair)).append('\n');
            out.print(new Redactor(settings).apply(text.toString()));
            out.flush();
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot read the journal: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }
}
