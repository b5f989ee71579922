package io.mailwatchdog.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailwatchdog.health.Status;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The JSON each webhook format receives for an alert. */
final class WebhookBodies {

    static final String ALERTNAME = "OdooMailWatchdog";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String watchdog;

    /** {@code watchdog} names this watchdog (its host name) in the generic body. */
    WebhookBodies(String watchdog) {
        this.watchdog = watchdog;
    }

    String render(WebhookFormat format, Alert a) {
        Object body = switch (format) {
            case GENERIC -> generic(a);
            case SLACK -> slack(a);
            case ALERTMANAGER -> alertmanager(a);
        };
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode generic(Alert a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("target", a.target());
        o.put("check", a.check());
        o.put("status", a.status().name());
        o.put("previous", a.previous() == null ? null : a.previous().name());
        o.put("transition", a.transition());
        o.put("summary", a.summary());
        o.put("detail", a.detail());
        if (a.hint() != null) {
            o.put("hint", a.hint());
        }
        o.put("at", a.at().toString());
        o.put("watchdog", watchdog);
        return o;
    }

    /** One line; Slack's mrkdwn needs &, < and > escaped, and Mattermost and Rocket.Chat read it as Markdown. */
    ObjectNode slack(Alert a) {
        StringBuilder line = new StringBuilder(emoji(a.status())).append(' ');
        switch (a.transition()) {
            case "recovered" -> line.append("recovered");
            case "reminder" -> line.append("still ").append(a.status());
            default -> line.append(a.status());
        }
        line.append(" *").append(a.target()).append("* `").append(a.check()).append("`: ").append(a.summary());
        if (a.reason() == Alert.Reason.CHANGE && a.previous() != null) {
            line.append(" (was ").append(a.previous()).append(')');
        } else if (a.reason() != Alert.Reason.CHANGE) {
            line.append(" (since ").append(a.since()).append(')');
        }
        if (a.hint() != null) {
            line.append(". Next: ").append(a.hint());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("text", slackEscaped(line.toString()));
        return o;
    }

    static String emoji(Status s) {
        return switch (s) {
            case PASS -> ":white_check_mark:";
            case WARN -> ":warning:";
            case FAIL -> ":rotating_light:";
            case UNKNOWN -> ":grey_question:";
        };
    }

    static String slackEscaped(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Alertmanager knows an alert by its labels, severity included. So a recovery resolves the alert of
     * the previous severity (endsAt = now), and WARN to FAIL (or back) resolves the old severity's alert
     * in the same request as it fires the new one. A firing alert's endsAt is now + its validity: should
     * the watchdog stop resending, Alertmanager resolves it then.
     */
    ArrayNode alertmanager(Alert a) {
        ArrayNode alerts = JSON.createArrayNode();
        boolean hadSeverity = a.previous() == Status.WARN || a.previous() == Status.FAIL;
        if (a.status() == Status.PASS) {
            if (hadSeverity) {
                alerts.add(amAlert(a, a.previous(), a.previousSince(), a.at()));
            }
            return alerts;
        }
        if (a.reason() == Alert.Reason.CHANGE && hadSeverity && !severity(a.previous()).equals(severity(a.status()))) {
            alerts.add(amAlert(a, a.previous(), a.previousSince(), a.at()));
        }
        alerts.add(amAlert(a, a.status(), a.since(), a.at().plus(a.validity())));
        return alerts;
    }

    private ObjectNode amAlert(Alert a, Status severityOf, Instant startsAt, Instant endsAt) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode labels = o.putObject("labels");
        labels.put("alertname", ALERTNAME);
        labels.put("target", a.target());
        labels.put("check", a.check());
        labels.put("severity", severity(severityOf));
        ObjectNode annotations = o.putObject("annotations");
        annotations.put("summary", a.summary());
        annotations.put("description", a.detail() + (a.hint() == null ? "" : "\nnext: " + a.hint()));
        o.put("startsAt", startsAt.toString());
        o.put("endsAt", endsAt.toString());
        return o;
    }

    static String severity(Status s) {
        return s == Status.FAIL ? "critical" : "warning";
    }
}
