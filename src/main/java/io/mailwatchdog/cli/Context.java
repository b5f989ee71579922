package io.mailwatchdog.cli;

import io.mailwatchdog.config.ConfigProblem;
import io.mailwatchdog.config.InvalidConfigException;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** What every command needs: the loaded settings (or exit 78 with every problem listed). */
final class Context {

    /** Thrown to end a command with an exit code after its message was printed. */
    static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private Context() {
    }

    static Settings load(Main main, PrintWriter err) {
        try {
            return SettingsLoader.load(Optional.ofNullable(main.config));
        } catch (InvalidConfigException e) {
            err.println("invalid configuration" + (e.file() == null ? "" : " in " + e.file()) + ":");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            throw new Exit(ExitCodes.CONFIG);
        }
    }

    /** The targets the command applies to: all, or the one named by --target. */
    static List<TargetSettings> targets(Settings settings, Main main, PrintWriter err) {
        if (main.target == null) {
            return settings.targets();
        }
        return settings.target(main.target).map(List::of).orElseThrow(() -> {
            err.println("no target named '" + main.target + "' in " + settings.source() + "; known: "
                    + settings.targets().stream().map(TargetSettings::name).toList());
            return new Exit(ExitCodes.CONFIG);
        });
    }
}
