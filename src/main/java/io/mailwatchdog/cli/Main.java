package io.mailwatchdog.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code java -jar odoo-mail-watchdog.jar [-c FILE] COMMAND}. */
@Command(name = "odoo-mail-watchdog", mixinStandardHelpOptions = false,
        description = "Keeps Odoo's outgoing email flowing: measures the mail queue, the mail scheduler and the SMTP servers.",
        subcommands = {DemoCommand.class, RunCommand.class, CheckCommand.class, SnapshotCommand.class, ConfigCommand.class,
                RetryCommand.class, CleanupCommand.class, JournalCommand.class, ReportCommand.class, SupportBundleCommand.class, VersionCommand.class})
public final class Main implements Runnable {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "config file; default: $ODOO_MAIL_WATCHDOG_CONFIG, then /etc/odoo-mail-watchdog/watchdog.conf, then config/watchdog.conf")
    Path config;

    @Option(names = "--target", paramLabel = "NAME", scope = ScopeType.INHERIT, description = "only this target")
    String target;

    @Option(names = "--log-format", paramLabel = "human|json", defaultValue = "human", scope = ScopeType.INHERIT,
            description = "log lines: human (default) or json; on stderr, but json goes to stdout for run and demo (containers)")
    String logFormat;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "debug logging and stack traces")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Commands that run until stopped: they log what they do (INFO), and JSON logs go to stdout for containers. */
    static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("run", "demo");

    /** The clock of every probe and report; tests pin it to the time the fixtures were recorded. */
    final java.time.Clock clock;

    Main(java.time.Clock clock) {
        this.clock = clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code; used by main and by the tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, java.time.Clock.systemUTC());
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, java.time.Clock clock) {
        CommandLine cli = new CommandLine(new Main(clock));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parse -> {
            Main main = parse.commandSpec().commandLine().getCommand();
            String command = parse.hasSubcommand() ? parse.subcommand().commandSpec().name() : "";
            LoggingSetup.configure(main.logFormat, main.debug, LONG_RUNNING.contains(command));
            return new CommandLine.RunLast().execute(parse);
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return ExitCodes.UNKNOWN;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parse) -> {
            Main main = commandLine.getParent() == null ? commandLine.getCommand()
                    : rootOf(commandLine).getCommand();
            err.println("internal error: " + e);
            if (main.debug) {
                e.printStackTrace(err);
            }
            return ExitCodes.UNKNOWN;
        });
        return cli.execute(args);
    }

    private static CommandLine rootOf(CommandLine c) {
        CommandLine root = c;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }
}
