package io.mailwatchdog.alert;

import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Remembers the last status of every (target, check) and turns each report into the alerts it
 * calls for: pure, no I/O. A change of status alerts once; an unchanged status sends nothing, except
 * reminders while WARN or FAIL lasts.
 *
 * <p>UNKNOWN is "no verdict this time" (the run hit its deadline, or a check was not made because
 * the login is parked): it neither raises nor clears an alert and the last known status stays, so
 * FAIL, UNKNOWN, FAIL sends one alert and FAIL, UNKNOWN, PASS sends "recovered". A check missing
 * from a report (Odoo unreachable: only {@code odoo.reachable} is judged) is treated the same way.
 */
final class TransitionTracker {

    /** Alertmanager's keep-alives are sent at most this often per check. */
    static final Duration REFRESH_EVERY = Duration.ofMinutes(1);
    /** A firing Alertmanager alert stays valid for 4 probe intervals (Prometheus's rule), at least this long... */
    static final Duration MIN_VALIDITY = Duration.ofMinutes(5);
    /** ...and this long when the probe interval is not known yet (the target's first report). */
    static final Duration FIRST_VALIDITY = Duration.ofHours(1);

    private record Key(String target, String check) {
    }

    private static final class Memory {
        Status status;
        Instant since;
        Instant remindedAt;
        Instant refreshedAt;

        Memory(Status status, Instant now) {
            this.status = status;
            this.since = now;
            this.remindedAt = now;
            this.refreshedAt = now;
        }
    }

    private final Duration renotifyInterval;
    private final UnaryOperator<String> redact;
    private final Map<Key, Memory> memory = new HashMap<>();
    private final Map<String, Instant> lastReport = new HashMap<>();

    TransitionTracker(Duration renotifyInterval, UnaryOperator<String> redact) {
        this.renotifyInterval = renotifyInterval;
        this.redact = redact;
    }

    synchronized List<Alert> observe(TargetReport report, Instant now) {
        Instant previousReport = lastReport.put(report.target(), now);
        Duration validity = previousReport == null ? FIRST_VALIDITY
                : max(MIN_VALIDITY, Duration.between(previousReport, now).multipliedBy(4));
        List<Alert> out = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (f.status() == Status.UNKNOWN) {
                continue;
            }
            Key key = new Key(report.target(), f.check());
            Memory m = memory.get(key);
            if (m == null) {
                memory.put(key, new Memory(f.status(), now));
                if (f.status() != Status.PASS) {
                    out.add(alert(report.target(), f, Alert.Reason.CHANGE, null, null, now, now, validity));
                }
            } else if (m.status != f.status()) {
                out.add(alert(report.target(), f, Alert.Reason.CHANGE, m.status, m.since, now, now, validity));
                m.status = f.status();
                m.since = now;
                m.remindedAt = now;
                m.refreshedAt = now;
            } else if (f.status() != Status.PASS) {
                if (!now.isBefore(m.remindedAt.plus(renotifyInterval))) {
                    out.add(alert(report.target(), f, Alert.Reason.REMINDER, null, null, now, m.since, validity));
                    m.remindedAt = now;
                }
                if (!now.isBefore(m.refreshedAt.plus(REFRESH_EVERY))) {
                    out.add(alert(report.target(), f, Alert.Reason.REFRESH, null, null, now, m.since, validity));
                    m.refreshedAt = now;
                }
            }
        }
        return out;
    }

    /** A target removed from the config: its next report, if it comes back, is a first observation. */
    synchronized void forget(String target) {
        memory.keySet().removeIf(k -> k.target().equals(target));
        lastReport.remove(target);
    }

    private Alert alert(String target, Finding f, Alert.Reason reason, Status previous, Instant previousSince,
                        Instant now, Instant since, Duration validity) {
        String summary = redact.apply(AlertWording.summary(target, f, previous));
        String detail = redact.apply(AlertWording.detail(reason, f.status(), previous, now, since, previousSince,
                f.evidence()));
        String hint = AlertWording.hint(f);
        return new Alert(target, f.check(), reason, f.status(), previous, summary, detail,
                hint == null ? null : redact.apply(hint), now, since, previousSince, validity);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
