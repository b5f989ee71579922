package io.mailwatchdog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("odoo-mail-watchdog " + version() + " (Java " + Runtime.version() + ")");
        return ExitCodes.OK;
    }
}
