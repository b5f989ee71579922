package io.mailwatchdog.history;

import io.mailwatchdog.journal.JournalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the daemon did of one action in a window, from its journal: the intents, the outcomes by kind, the intents
 * with no outcome (yet), and the first and last record.
 */
public record ActionCount(String action, int intents, int done, int failed, int unknown, int open, Instant first,
                          Instant last) {

    /**
     * @param inWindow the journal records of the window, oldest first
     * @param settled  the seqs of the intents that have an outcome by the window's end
     */
    static List<ActionCount> of(List<JournalRecord> inWindow, Set<Long> settled) {
        Map<String, List<JournalRecord>> byAction = inWindow.stream()
                .collect(Collectors.groupingBy(JournalRecord::action, LinkedHashMap::new, Collectors.toList()));
        List<ActionCount> out = new ArrayList<>();
        byAction.forEach((action, records) -> {
            int intents = 0;
            int done = 0;
            int failed = 0;
            int unknown = 0;
            int open = 0;
            for (JournalRecord r : records) {
                if (r.isIntentRecord()) {
                    intents++;
                    open += settled.contains(r.seq()) ? 0 : 1;
                } else if ("done".equals(r.outcome())) {
                    done++;
                } else if ("failed".equals(r.outcome())) {
                    failed++;
                } else {
                    unknown++;
                }
            }
            out.add(new ActionCount(action, intents, done, failed, unknown, open, records.get(0).at(),
                    records.get(records.size() - 1).at()));
        });
        return out;
    }
}
