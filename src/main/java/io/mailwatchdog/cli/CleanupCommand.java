package io.mailwatchdog.cli;

import io.mailwatchdog.act.StaleCleanup;
import io.mailwatchdog.act.StaleSummary;
import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.lock.LockState;
import io.mailwatchdog.odoo.LoginRefused;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup", description = {
        "Cleans one target's stale mail by its stale { } policy: cancels outgoing mail due for too long, cancels (or,"
                + " with purge = true, deletes) old exceptions.",
        "Dry-run by default: prints the plan and writes nothing. --apply archives every row in state-dir first, then"
                + " writes under the database's lock; it works even with stale.enabled = false.",
        "Exit: 0 done or nothing to do, 1 partly done (some left, with the reason), 2 refused or stopped (the lock"
                + " is held by another writer, a neutralized database, Odoo not reached), 3 internal error, 78 invalid config."})
final class CleanupCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--apply", description = "clean: archive, then cancel or purge (default: a dry-run that writes nothing)")
    boolean apply;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "output: text (default), json")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("text", "json").contains(format)) {
            err.println("error: --format must be text or json, not '" + format + "'");
            return ExitCodes.UNKNOWN;
        }
        try {
            Settings settings = Context.load(main, err);
            TargetSettings target = OneTarget.choose(settings, main, err, "cleanup");
            Redactor redactor = new Redactor(settings);
            LoginParking parking = new LoginParking(new StateFiles(settings.stateDir()));
            String identity = LoginParking.identity(target.url().toString(), target.database(), target.login(),
                    target.secret().reveal());
            Optional<LoginParking.Parked> parked = parking.parkedFor(target.name(), identity);
            if (parked.isPresent()) {
                err.println(target.name() + ": login parked since " + parked.get().since() + " after Odoo refused it ("
                        + redactor.apply(parked.get().reason()) + "); fix the secret, then `check --unpark`");
                return ExitCodes.FAIL;
            }
            OdooSession session = Probe.newSession(target);
            try {
                StaleSummary summary = clean(settings, target, session, redactor, out, err);
                if (summary == null) {
                    return ExitCodes.FAIL; // an earlier write is not settled, or is a live writer's: said why
                }
                String text = "json".equals(format) ? ReportJson.JSON.writeValueAsString(summary) + "\n"
                        : CleanupReport.render(summary, target, settings.stateDir());
                out.print(redactor.apply(text));
                out.flush();
                return exitCode(summary);
            } catch (LoginRefused refused) {
                try {
                    parking.park(target.name(), identity, refused.getMessage(), main.clock.instant());
                } catch (IOException e) {
                    err.println("cannot record the parked login in state-dir: " + e.getMessage());
                }
                err.println(target.name() + ": " + redactor.apply(refused.getMessage()) + "; nothing was written");
                return ExitCodes.FAIL;
            } catch (OdooException e) {
                // before anything was written: a failure later ends the run with its summary
                err.println("refused: Odoo was not reached or answered with an error (" + e.kind() + "): "
                        + redactor.apply(e.getMessage()) + "; nothing was written");
                return ExitCodes.FAIL;
            }
        } catch (Context.Exit exit) {
            return exit.code;
        } catch (IOException e) {
            err.println("cannot write to state-dir: " + e.getMessage());
            return ExitCodes.UNKNOWN;
        }
    }

    /** Null when an earlier write has not settled (or is a live writer's): nothing may be written yet. */
    private StaleSummary clean(Settings settings, TargetSettings target, OdooSession session, Redactor redactor,
                               PrintWriter out, PrintWriter err) throws IOException, OdooException {
        Journal journal = Journal.open(settings.stateDir(), target.name(), main.clock);
        TargetWriter writer = CommandWriter.of(settings, target, session, journal, main.clock, redactor, apply);
        if (apply) {
            // as the daemon does: an earlier write left without its outcome is settled first
            if (!Reconciled.report(writer.reconcile(), out, err, redactor)) {
                return null;
            }
        } else {
            Optional<LockState> lock = writer.lock().read();
            if (lock.isPresent() && !lock.get().expired()) {
                out.println("note: another writer holds the lock now (" + lock.get().owner() + "): --apply would be"
                        + " refused until it is released");
            }
        }
        StaleSummary summary = new StaleCleanup(target, writer, session, Archive.of(settings.stateDir(), target.name(),
                main.clock), main.clock, redactor::apply).run(apply, Integer.MAX_VALUE);
        if (apply) {
            io.mailwatchdog.act.JournalUpkeep.run(journal, target, main.clock);
        }
        return summary;
    }

    /** 0 done or nothing to do, 1 some left (with the reason), 2 refused: nothing written. */
    static int exitCode(StaleSummary summary) {
        if (summary.refused()) {
            return ExitCodes.FAIL;
        }
        return summary.left() > 0 || summary.stop() == StaleSummary.Stop.FAILED ? ExitCodes.WARN : ExitCodes.OK;
    }
}
