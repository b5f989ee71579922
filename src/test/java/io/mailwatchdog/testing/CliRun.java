package io.mailwatchdog.testing;

import io.mailwatchdog.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and keeps its exit code, stdout, stderr and log lines. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(String... args) {
        return at(java.time.Clock.systemUTC(), args);
    }

    /** Runs with a pinned clock, for fixtures recorded at a known time. */
    public static CliRun at(java.time.Clock clock, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Logs go to System.err (captured when the appender starts), commands' messages to err.
        PrintStream realErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), clock);
        } finally {
            System.setErr(realErr);
        }
        return new CliRun(code, out.toString(), err + logs.toString(StandardCharsets.UTF_8));
    }

    public String all() {
        return out + err;
    }
}
