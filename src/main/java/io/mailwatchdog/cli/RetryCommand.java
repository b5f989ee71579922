package io.mailwatchdog.cli;

import io.mailwatchdog.act.Pause;
import io.mailwatchdog.act.RetryRun;
import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.recovery.RetryPlan;
import io.mailwatchdog.recovery.RetryRequest;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retry", description = {
        "Retries failed mail (state exception) safely: the gate (SMTP tests passed since the failures began),"
                + " a canary, then paced chunks, each under the lock with the mail cron held; stops when the failure returns.",
        "Dry-run by default: prints the plan (ids per chunk, what is left alone and why) and writes nothing.",
        "Exit: 0 done or nothing to do, 1 partly done (some left, with the reason), 2 refused or stopped"
                + " (gate, circuit open, lock held), 3 internal error, 78 invalid config."})
final class RetryCommand implements Callable<Integer> {

    /** The longest the command waits for the pace between two chunks. */
    static final Duration MAX_PACE_WAIT = Duration.ofHours(1);

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--apply", description = "requeue and send for real (works even where retry.enabled = false)")
    boolean apply;

    @Option(names = "--class", paramLabel = "CLASS", split = ",",
            description = "only these failure classes (TRANSPORT, AUTH, TLS, RATE_LIMIT, MAILBOX, SENDER); SENDER only when named here")
    List<String> classes;

    @Option(names = "--since", paramLabel = "TIME|AGE", description = "only mails that failed at or after this (2026-11-23T08:00:00Z, 6h)")
    String since;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "at most N mails in this run (0 = no limit)")
    int max;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "output: text (default), json")
    String format;

    @CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RetryRequest request;
        try {
            request = request();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
        if (!List.of("text", "json").contains(format)) {
            err.println("error: --format must be text or json, not '" + format + "'");
            return ExitCodes.UNKNOWN;
        }
        try {
            Settings settings = Context.load(main, err);
            TargetSettings target = OneTarget.choose(settings, main, err, "retry");
            Redactor redactor = new Redactor(settings);
            Snapshot snapshot = CheckRun.snapshots(settings, List.of(target), run.timeout(settings, err), run.smtpTests(),
                    main.clock).get(0);
            OneTarget.refuseUnwritable(snapshot, err);
            OdooSession session = Probe.newSession(target);
            Journal journal = Journal.open(settings.stateDir(), target.name(), main.clock);
            TargetWriter writer = CommandWriter.of(settings, target, session, journal, main.clock, redactor, apply);
            if (apply) {
                TargetWriter.Reconciliation r = writer.reconcile();
                if (!Reconciled.report(r, out, err, redactor)) {
                    return ExitCodes.FAIL;
                }
            }
            RetryRun.Summary summary = new RetryRun(target, writer, session, journal, main.clock, Pause.REAL, redactor::apply)
                    .run(request, snapshot.servers(), apply, Integer.MAX_VALUE, MAX_PACE_WAIT);
            if (apply) {
                io.mailwatchdog.act.JournalUpkeep.run(journal, target, main.clock);
            }
            String text = "json".equals(format) ? ReportJson.JSON.writeValueAsString(summary) + "\n"
                    : RetrySummaryText.render(target.name(), summary);
            out.print(redactor.apply(text));
            out.flush();
            return exitCode(summary);
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (OdooException e) {
            err.println("Odoo: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        } catch (IOException e) {
            err.println("cannot read or write state: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    private RetryRequest request() {
        Set<FailureClass> wanted = EnumSet.noneOf(FailureClass.class);
        for (String c : classes == null ? List.<String>of() : classes) {
            try {
                wanted.add(FailureClass.valueOf(c.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--class takes " + List.of(FailureClass.values()) + ", not '" + c + "'");
            }
        }
        if (max < 0) {
            throw new IllegalArgumentException("--max must be 0 (no limit) or positive, not " + max);
        }
        Instant from = since == null ? null : JournalCommand.since(since, main.clock.instant());
        return new RetryRequest(true, wanted, from, max);
    }

    static int exitCode(RetryRun.Summary s) {
        boolean someFailed = s.batches().stream().anyMatch(b -> b.failedAgain() > 0);
        return switch (s.stop()) {
            case DRY_RUN -> s.firstPlan().next() == RetryPlan.Next.REFUSED
                    || s.firstPlan().next() == RetryPlan.Next.WAIT && s.firstPlan().why().startsWith("the circuit is open")
                    ? ExitCodes.FAIL : ExitCodes.OK;
            case NOTHING_LEFT -> someFailed ? ExitCodes.WARN : ExitCodes.OK;
            case REFUSED, CIRCUIT_OPEN, LOCK_BUSY -> ExitCodes.FAIL;
            case FAILED -> s.batches().isEmpty() ? ExitCodes.UNKNOWN : ExitCodes.WARN;
            case WAITING, UNSETTLED, BATCH_LIMIT, STOPPING -> ExitCodes.WARN;
        };
    }
}
