package io.mailwatchdog.cli;

import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "config", description = "Validate or show the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Main main() {
        return spec.root().commandLine().getCommand();
    }

    /** Loads the settings (exit 78 on problems) and hands them to the subcommand. */
    int withSettings(java.util.function.BiConsumer<Settings, java.io.PrintWriter> action) {
        CommandLine root = spec.root().commandLine();
        try {
            Settings settings = Context.load(main(), root.getErr());
            Context.targets(settings, main(), root.getErr()); // an unknown --target is a config error
            action.accept(settings, root.getOut());
            root.getOut().flush();
            return ExitCodes.OK;
        } catch (Context.Exit exit) {
            return exit.code;
        }
    }

    @Command(name = "check", description = "Validate the configuration: exit 0, or 78 with every problem and its line.")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            return parent.withSettings((s, out) -> out.println("configuration OK: " + s.source() + " ("
                    + s.targets().size() + " target(s))"));
        }
    }

    @Command(name = "show", description = "Print the effective configuration, secrets masked.")
    static final class Show implements Callable<Integer> {
        @CommandLine.ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            return parent.withSettings((s, out) -> out.print(new Redactor(s).apply(
                    SettingsPrinter.masked(s, parent.main().target))));
        }
    }
}
