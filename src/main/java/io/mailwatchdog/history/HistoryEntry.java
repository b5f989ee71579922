package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.TargetReport;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a target's probe history ({@code state-dir/history/<target>.jsonl}).
 *
 * <p>A {@value #PROBE} line: {@code status} (the worst check), {@code checks} (check id → PASS, WARN, FAIL or
 * UNKNOWN), {@code queue} (null when the probe could not read it) and, when the probe did not get through,
 * {@code failure} (its kind, such as {@code unreachable}). An {@value #EVENT} line: {@code kind} (such as
 * {@code circuit opened}), {@code text} and non-secret {@code details}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"at", "target", "type", "status", "checks", "queue", "failure", "kind", "text", "details"})
public record HistoryEntry(Instant at, String target, String type, String status, Map<String, String> checks,
                           QueueShape queue, String failure, String kind, String text, Map<String, Object> details) {

    public static final String PROBE = "probe";
    public static final String EVENT = "event";

    public HistoryEntry {
        checks = checks == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        details = details == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The line of one probe: its time, statuses and queue shape; no evidence text, so nothing from a mail. */
    public static HistoryEntry probe(TargetReport report, Instant at) {
        Map<String, String> checks = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            checks.put(f.check(), f.status().name());
        }
        var s = report.snapshot();
        return new HistoryEntry(at, report.target(), PROBE, report.status().name(), checks, QueueShape.of(s.queue()),
                s.failure() == null ? null : s.failure().kind(), null, null, null);
    }

    public static HistoryEntry event(String target, Instant at, String kind, String text, Map<String, Object> details) {
        return new HistoryEntry(at, target, EVENT, null, null, null, null, kind, text,
                details == null || details.isEmpty() ? null : details);
    }

    @JsonIgnore
    public boolean isProbe() {
        return PROBE.equals(type);
    }

    @JsonIgnore
    public boolean isEvent() {
        return EVENT.equals(type);
    }

    /** A check's status on this probe line, null when the line has none for it. */
    public String check(String id) {
        return checks == null ? null : checks.get(id);
    }
}
