package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailwatchdog.probe.FailureSignatureGroup;
import java.util.List;

/**
 * One failure signature of a probe, as the history keeps it: its class, how many of the sampled exceptions
 * share it, the normalised reason (addresses, ids and numbers already taken out, cut short) and at most
 * {@value #MAX_IDS} example mail ids. Never a body, subject or address.
 */
public record SignatureCount(@JsonProperty("class") String failureClass, int count, String signature, List<Integer> ids) {

    static final int MAX_IDS = 5;
    static final int MAX_SIGNATURE = 160;

    public SignatureCount {
        ids = ids == null ? List.of() : List.copyOf(ids.subList(0, Math.min(MAX_IDS, ids.size())));
    }

    static SignatureCount of(FailureSignatureGroup g) {
        String text = g.signature() == null ? "" : g.signature().replace("\n", " / ");
        if (text.length() > MAX_SIGNATURE) {
            text = text.substring(0, MAX_SIGNATURE - 1) + "…";
        }
        return new SignatureCount(g.failureClass() == null ? null : g.failureClass().name(), g.count(), text,
                g.exampleIds());
    }
}
