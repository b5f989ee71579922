package io.mailwatchdog.alert;

import static io.mailwatchdog.text.Texts.human;
import static io.mailwatchdog.text.Texts.oneLine;

import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;

/** The words of an alert. A refused or parked login gets its own, since nothing else is probed until someone acts. */
final class AlertWording {

    static final int MAX_DETAIL = 1000;
    static final String LOGIN_HINT = "fix the target's password or API key (API keys expire from Odoo 18 on), then run"
            + " `check --unpark`";

    private AlertWording() {
    }

    static String summary(String target, Finding f, Status previous) {
        if (CheckIds.ODOO_LOGIN.equals(f.check())) {
            if (f.status() == Status.FAIL) {
                Object kind = f.evidence().get("kind");
                if ("login-parked".equals(kind)) {
                    return "the watchdog's Odoo login on " + target + " is parked after Odoo refused it; nothing is"
                            + " probed until the secret changes or `check --unpark` runs: " + oneLine(f.summary());
                }
                if ("login-refused".equals(kind)) {
                    return "Odoo refused the watchdog's login on " + target + " (wrong password, expired API key,"
                            + " archived user?); the login is parked, not retried: " + oneLine(f.summary());
                }
            } else if (f.status() == Status.PASS && previous == Status.FAIL) {
                return "the watchdog logs in to " + target + " again: " + oneLine(f.summary());
            }
        }
        return oneLine(f.summary());
    }

    static String hint(Finding f) {
        if (f.hint() == null && CheckIds.ODOO_LOGIN.equals(f.check()) && f.status() == Status.FAIL) {
            return LOGIN_HINT;
        }
        return f.hint() == null ? null : oneLine(f.hint());
    }

    /** What happened and when, then the finding's evidence: "FAIL since …, was PASS since …; evidence: a=1, b=2". */
    static String detail(Alert.Reason reason, Status status, Status previous, Instant now, Instant since,
                         Instant previousSince, Map<String, Object> evidence) {
        StringBuilder b = new StringBuilder();
        if (reason != Alert.Reason.CHANGE) {
            b.append("still ").append(status).append(" since ").append(since).append(" (")
                    .append(human(Duration.between(since, now).toSeconds())).append(')');
        } else if (previous == null) {
            b.append(status).append(" since ").append(since).append(" (first probe since the watchdog started)");
        } else {
            b.append(status == Status.PASS ? "PASS again" : status.name()).append(" since ").append(since)
                    .append(", was ").append(previous).append(" since ").append(previousSince).append(" (")
                    .append(human(Duration.between(previousSince, now).toSeconds())).append(')');
        }
        if (!evidence.isEmpty()) {
            StringJoiner j = new StringJoiner(", ", "; evidence: ", "");
            evidence.forEach((k, v) -> j.add(k + "=" + v));
            b.append(j);
        }
        String text = oneLine(b.toString());
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…";
    }
}
