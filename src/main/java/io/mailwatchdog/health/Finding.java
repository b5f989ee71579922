package io.mailwatchdog.health;

import java.util.Map;

/** One check's verdict: stable id, status, one-line summary, the evidence, and what to do next. */
public record Finding(String check, Status status, String summary, Map<String, Object> evidence, String hint) {

    public Finding {
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}
