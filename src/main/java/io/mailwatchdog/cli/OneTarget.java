package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.Snapshot;
import java.io.PrintWriter;
import java.util.List;

/** For the commands that write to one database (retry, cleanup): exactly one target, and one Odoo may take writes. */
final class OneTarget {

    private OneTarget() {
    }

    static TargetSettings of(Settings settings, Main main, PrintWriter err, String command) {
        List<TargetSettings> targets = Context.targets(settings, main, err);
        if (targets.size() != 1) {
            err.println(command + " works on one target: add --target NAME (known: "
                    + targets.stream().map(TargetSettings::name).toList() + ")");
            throw new Context.Exit(ExitCodes.UNKNOWN);
        }
        return targets.get(0);
    }

    /** Exit 2 when Odoo was not reached, or mail is off on purpose (a neutralized copy) or modules wait. */
    static void refuseUnwritable(Snapshot s, PrintWriter err) {
        if (!s.reached()) {
            err.println("refused: Odoo was not reached (" + s.failure().kind() + "): " + s.failure().message());
            throw new Context.Exit(ExitCodes.FAIL);
        }
        if (s.database() != null && s.database().neutralized()) {
            err.println("refused: the database is neutralized (a copy where mail is off on purpose)");
            throw new Context.Exit(ExitCodes.FAIL);
        }
        if (s.database() != null && !s.database().modulesPending().isEmpty()) {
            err.println("refused: modules wait for an upgrade " + s.database().modulesPending());
            throw new Context.Exit(ExitCodes.FAIL);
        }
    }
}
