package io.mailwatchdog.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of a target's journal.
 *
 * @param seq       per-target sequence number, increasing by one with every record, across restarts
 * @param at        when the record was appended (UTC)
 * @param target    the target's name
 * @param type      {@value #INTENT} or {@value #OUTCOME}
 * @param action    what is (to be) done, e.g. {@code revive-scheduler}, {@code flush}; an outcome repeats its intent's
 * @param intentSeq on an outcome: the seq of its intent; null on an intent
 * @param reason    on an intent: why (the finding's evidence, in words)
 * @param check     on an intent: the check id of the finding that asked for it, if any
 * @param ids       the Odoo record ids concerned (an outcome repeats its intent's)
 * @param outcome   on an outcome: {@code done}, {@code failed} or {@code unknown}
 * @param message   on an outcome: what happened, in words
 * @param details   free, non-secret details (field values before/after, counts, Odoo version, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seq", "at", "target", "type", "action", "intentSeq", "reason", "check", "ids", "outcome",
        "message", "details"})
public record JournalRecord(long seq, Instant at, String target, String type, String action, Long intentSeq,
        String reason, String check, List<Integer> ids, String outcome, String message, Map<String, Object> details) {

    public static final String INTENT = "intent";
    public static final String OUTCOME = "outcome";

    public JournalRecord {
        ids = ids == null ? List.of() : List.copyOf(ids);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    // Not isIntent()/isOutcome(): Jackson would take isOutcome() for the "outcome" property and drop it.
    @JsonIgnore
    public boolean isIntentRecord() {
        return INTENT.equals(type);
    }

    @JsonIgnore
    public boolean isOutcomeRecord() {
        return OUTCOME.equals(type);
    }
}
