package io.mailwatchdog.health;

/** Ordered by severity for "the worst wins"; UNKNOWN ranks above FAIL because nothing could be judged. */
public enum Status {
    PASS(0), WARN(1), FAIL(2), UNKNOWN(3);

    private final int exitCode;

    Status(int exitCode) {
        this.exitCode = exitCode;
    }

    /** Nagios plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
    public int exitCode() {
        return exitCode;
    }

    public static Status worst(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
