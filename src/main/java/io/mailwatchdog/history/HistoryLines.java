package io.mailwatchdog.history;

import java.time.Instant;
import java.util.List;

/**
 * What {@link HistoryReader} read: the lines, oldest first, and how many it skipped because they were not
 * whole lines of history (torn by a crash, or damaged).
 */
public record HistoryLines(List<HistoryEntry> entries, int skipped) {

    public HistoryLines {
        entries = List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<HistoryEntry> probes() {
        return entries.stream().filter(HistoryEntry::isProbe).toList();
    }

    public List<HistoryEntry> events() {
        return entries.stream().filter(HistoryEntry::isEvent).toList();
    }

    /** The lines from {@code from} (inclusive, null: any) to {@code to} (inclusive, null: any). */
    public HistoryLines between(Instant from, Instant to) {
        return new HistoryLines(entries.stream()
                .filter(e -> (from == null || !e.at().isBefore(from)) && (to == null || !e.at().isAfter(to)))
                .toList(), skipped);
    }
}
