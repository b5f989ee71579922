package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import java.io.PrintWriter;

/** The one target of a command about a single target: --target, or the config's only target. */
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
}
