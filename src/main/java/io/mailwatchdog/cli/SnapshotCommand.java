package io.mailwatchdog.cli;

import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "snapshot", description = "Print the full Snapshot of each target as JSON (read only).")
final class SnapshotCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Settings settings = Context.load(main, err);
            List<TargetSettings> targets = Context.targets(settings, main, err);
            List<Snapshot> snapshots = CheckRun.snapshots(settings, targets, run.timeout(settings, err), run.smtpTests(), main.clock);
            out.println(new Redactor(settings).apply(ReportJson.JSON.writeValueAsString(snapshots)));
            out.flush();
            return snapshots.stream().allMatch(Snapshot::reached) ? ExitCodes.OK : ExitCodes.FAIL;
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot write the snapshot: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }
}
