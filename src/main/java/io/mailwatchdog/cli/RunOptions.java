package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of every command that probes: how long it may take, and whether to test SMTP. */
final class RunOptions {

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "bound on the whole run, e.g. 50s (default: check.timeout of the config, 50s)")
    String timeout;

    @Option(names = "--no-smtp-test", description = "do not run Odoo's SMTP connection test")
    boolean noSmtpTest;

    Duration timeout(Settings settings, PrintWriter err) {
        if (timeout == null) {
            return settings.checkTimeout();
        }
        try {
            return com.typesafe.config.ConfigFactory.parseString("d = " + timeout).getDuration("d");
        } catch (RuntimeException e) {
            err.println("error: --timeout takes a duration such as 50s or 2m, not '" + timeout + "'");
            throw new Context.Exit(ExitCodes.UNKNOWN);
        }
    }

    boolean smtpTests() {
        return !noSmtpTest;
    }
}
