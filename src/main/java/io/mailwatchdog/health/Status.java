package io.mailwatchdog.health;

/**
 * A check's verdict. Exit codes follow the Nagios plugin convention (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN), but for "the worst wins" a known failure outranks an unknown: one target that timed
 * out must not hide another target's FAIL.
 */
public enum Status {
    PASS(0, 0), WARN(1, 1), UNKNOWN(3, 2), FAIL(2, 3);

    private final int exitCode;
    private final int severity;

    Status(int exitCode, int severity) {
        this.exitCode = exitCode;
        this.severity = severity;
    }

    public int exitCode() {
        return exitCode;
    }

    public static Status worst(Status a, Status b) {
        return a.severity >= b.severity ? a : b;
    }
}
