package io.mailwatchdog.alert;

import io.mailwatchdog.health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One notification about one check of one target, before it is shaped for a webhook. Its texts are
 * already redacted.
 *
 * @param previous      the status before a change; null on the first observation of the check
 * @param since         when the current status began
 * @param previousSince when the previous status began; null when there was none
 * @param validity      how long a firing Alertmanager alert stays valid without a resend (its endsAt)
 */
record Alert(String target, String check, Reason reason, Status status, Status previous, String summary, String detail,
             String hint, Instant at, Instant since, Instant previousSince, Duration validity) {

    /** Why the alert is sent. */
    enum Reason {
        /** The check's status changed (or the first observation is WARN or FAIL). */
        CHANGE,
        /** Still WARN or FAIL after the re-notify interval: for people (GENERIC, SLACK). */
        REMINDER,
        /** Still WARN or FAIL: Alertmanager's keep-alive, which it needs so as not to resolve the alert itself. */
        REFRESH
    }

    Alert {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(validity, "validity");
    }

    /** "WARN", "FAIL", "recovered" for a change; "reminder" while a WARN or FAIL lasts. */
    String transition() {
        if (reason != Reason.CHANGE) {
            return "reminder";
        }
        return status == Status.PASS ? "recovered" : status.name();
    }

    boolean sameCheck(Alert other) {
        return target.equals(other.target) && check.equals(other.check);
    }

    /** For logs: "prod scheduler.active FAIL". */
    String label() {
        return target + " " + check + " " + transition() + (reason == Reason.CHANGE ? "" : " (" + status + ")");
    }
}
