package io.mailwatchdog.odoo;

import java.util.LinkedHashMap;
import java.util.Map;

/** Number of {@code mail.mail} rows per state; every one of the five states is present (0 when empty). */
public record MailStateCounts(Map<String, Integer> byState) {

    public static final java.util.List<String> STATES = java.util.List.of("outgoing", "sent", "received", "exception", "cancel");

    public MailStateCounts {
        Map<String, Integer> all = new LinkedHashMap<>();
        for (String state : STATES) {
            all.put(state, byState.getOrDefault(state, 0));
        }
        byState.forEach(all::putIfAbsent); // a state a custom module added is kept too
        byState = java.util.Collections.unmodifiableMap(all);
    }

    public int get(String state) {
        return byState.getOrDefault(state, 0);
    }
}
