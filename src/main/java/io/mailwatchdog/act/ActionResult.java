package io.mailwatchdog.act;

/** What one executed action came to, for /status, the metrics and the log. {@code detail} may be null. */
public record ActionResult(String action, String outcome, String detail) {

    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String UNKNOWN = "unknown";
    public static final String SKIPPED = "skipped";
}
