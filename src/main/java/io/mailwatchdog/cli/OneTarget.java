package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.Snapshot;
import java.io.PrintWriter;

/**
 * The one target of a command about a single target (retry, support-bundle, report, ...): --target, or
 * the config's only target; and, for the commands that write, whether that Odoo may take writes now.
 */
final class OneTarget {

    private OneTarget() {
    }

    static TargetSettings choose(Settings settings, Main main, PrintWriter err, String command) {
        if (main.target == null && settings.targets().size() != 1) {
            err.println("error: " + command + " is about one target: add --target NAME (one of "
                    + settings.targets().stream().map(TargetSettings::name).toList() + ")");
            throw new Context.Exit(ExitCodes.UNKNOWN);
        }
        return main.target == null ? settings.targets().get(0) : Context.targets(settings, main, err).get(0);
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
