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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", description = {
        "Writes every journal record (all targets, or --target) as one JSON array, oldest first: to stdout, or to"
                + " --output FILE (mode 0600).",
        "Exit: 0 written, 3 error, 78 invalid config."})
final class JournalExportCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    JournalCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FILE", description = "write to this file (created 0600) instead of stdout")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = Context.load(parent.main, err);
            Instant from = parent.since == null ? null : JournalCommand.since(parent.since, parent.main.clock.instant());
            List<JournalRecord> records = new ArrayList<>();
            for (TargetSettings t : Context.targets(settings, parent.main, err)) {
                records.addAll(Journal.open(settings.stateDir(), t.name(), parent.main.clock)
                        .read(new JournalQuery(parent.action, from, 0)));
            }
            records.sort(Comparator.comparing(JournalRecord::at).thenComparing(JournalRecord::target)
                    .thenComparingLong(JournalRecord::seq));
            String json = new Redactor(settings).apply(ReportJson.JSON.writeValueAsString(records)) + "\n";
            if (output == null) {
                out.print(json);
                out.flush();
            } else {
                write(output, json);
                err.println("wrote " + records.size() + " record(s) to " + output);
            }
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        } catch (IOException e) {
            err.println("cannot export the journal: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    private static void write(Path file, String json) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        }
        Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
