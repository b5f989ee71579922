package io.mailwatchdog.cli;

import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {
        "Read-only health check of each target's outgoing mail. Changes nothing in Odoo.",
        "Exit: 0 all PASS, 1 worst WARN, 2 worst FAIL (also unreachable or refused login), 3 UNKNOWN, 78 invalid config."})
final class CheckCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "table|json|nagios", defaultValue = "table",
            description = "output: table (default), json, nagios")
    String format;

    @CommandLine.Mixin
    RunOptions run;

    @Option(names = "--unpark", description = "forget refused logins first, so the targets are tried again")
    boolean unpark;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("table", "json", "nagios").contains(format)) {
            err.println("error: --format must be table, json or nagios, not '" + format + "'");
            return ExitCodes.UNKNOWN;
        }
        try {
            Settings settings = Context.load(main, err);
            List<TargetSettings> targets = Context.targets(settings, main, err);
            Duration limit = run.timeout(settings, err);
            if (unpark) {
                unpark(settings, targets, err);
            }
            Redactor redactor = new Redactor(settings);
            List<Snapshot> snapshots = CheckRun.snapshots(settings, targets, limit, run.smtpTests(), main.clock);
            List<TargetReport> reports = CheckRun.reports(snapshots, targets);
            Status overall = reports.stream().map(TargetReport::status).reduce(Status.PASS, Status::worst);
            String text = switch (format) {
                case "json" -> ReportJson.JSON.writeValueAsString(ReportJson.document(overall, reports, main.clock.instant())) + "\n";
                case "nagios" -> ReportNagios.render(overall, reports, thresholds(targets));
                default -> ReportTable.render(overall, reports);
            };
            out.print(redactor.apply(text));
            out.flush();
            return overall.exitCode();
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot write the report: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    private static void unpark(Settings settings, List<TargetSettings> targets, PrintWriter err) {
        LoginParking parking = new LoginParking(new StateFiles(settings.stateDir()));
        for (TargetSettings t : targets) {
            try {
                if (parking.unpark(t.name())) {
                    err.println("unparked " + t.name() + ": its login will be tried again");
                }
            } catch (IOException e) {
                err.println("cannot unpark " + t.name() + ": " + e.getMessage());
                throw new Context.Exit(ExitCodes.UNKNOWN);
            }
        }
    }

    private static Map<String, long[]> thresholds(List<TargetSettings> targets) {
        Map<String, long[]> out = new HashMap<>();
        for (TargetSettings t : targets) {
            out.put(t.name(), new long[] {t.thresholds().oldestOutgoingWarn().toSeconds(),
                    t.thresholds().oldestOutgoingFail().toSeconds()});
        }
        return out;
    }
}
