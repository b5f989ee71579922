package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailwatchdog.probe.QueueSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue's shape at one probe, compact enough for a line every minute: mail counts by state, due outgoing
 * mail, the age of the oldest due mail, the exceptions of the last hour and the top {@value #TOP_SIGNATURES}
 * failure signatures.
 */
@JsonPropertyOrder({"counts", "due", "oldestDueAgeSeconds", "exceptionsLastHour", "signatures"})
public record QueueShape(Map<String, Integer> counts, int due, long oldestDueAgeSeconds, int exceptionsLastHour,
                         List<SignatureCount> signatures) {

    static final int TOP_SIGNATURES = 5;

    public QueueShape {
        counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    /** The shape of a probed queue; null when the probe could not read the queue. */
    static QueueShape of(QueueSnapshot q) {
        if (q == null) {
            return null;
        }
        // the probe sorts its groups, most frequent first
        List<SignatureCount> top = q.signatures().stream().limit(TOP_SIGNATURES).map(SignatureCount::of).toList();
        return new QueueShape(q.counts().byState(), q.due(), q.oldestDueAgeSeconds(), q.exceptionsLastHour(), top);
    }

    /** Mails in {@code state}, 0 when none. */
    public int count(String state) {
        return counts.getOrDefault(state, 0);
    }
}
