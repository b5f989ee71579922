package io.mailwatchdog.cli;

/** Exit codes: 0–3 follow the Nagios plugin convention; 78 is EX_CONFIG from sysexits.h. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int WARN = 1;
    public static final int FAIL = 2;
    public static final int UNKNOWN = 3;
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
