package io.mailwatchdog.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailwatchdog.journal.JournalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What happened to one target between {@code since} and {@code until}, from its probe history and its journal:
 * the queue before and at the end, when each check went bad and came back, what the daemon did and to how many
 * mails, how long the backlog took to drain, and the events (circuit, quota).
 *
 * @param baseline the last probe before {@code since} (just before the window), else the window's first; null
 *                 when no probe read the queue
 * @param end      the window's last probe that read the queue; null when none did
 * @param recorded what the window holds, and the lines skipped as unreadable
 */
@JsonPropertyOrder({"target", "since", "until", "recorded", "baseline", "end", "checks", "actions", "mails", "drains",
        "events"})
public record WindowReport(String target, Instant since, Instant until, Recorded recorded, ProbePoint baseline,
                           ProbePoint end, List<CheckSpell> checks, List<ActionCount> actions, MailCounts mails,
                           List<Drain> drains, List<HistoryEntry> events) {

    /** How much the window holds: probes, events and journal records in it, and unreadable lines skipped. */
    public record Recorded(int probes, int events, int journalRecords, int skippedHistoryLines, int skippedJournalLines) {
    }

    /** Nothing was recorded in the window: no probe, no event, no journal record. */
    @JsonProperty("empty")
    public boolean empty() {
        return recorded.probes() == 0 && recorded.events() == 0 && recorded.journalRecords() == 0;
    }

    /**
     * @param history        the target's whole history (spells that began before the window are told from their start)
     * @param journal        the target's journal records, oldest first
     * @param journalSkipped unreadable journal lines
     */
    public static WindowReport of(String target, Instant since, Instant until, HistoryLines history,
                                  List<JournalRecord> journal, int journalSkipped) {
        List<HistoryEntry> upToEnd = history.between(null, until).probes();
        List<HistoryEntry> inWindow = history.between(since, until).probes();
        List<HistoryEntry> events = history.between(since, until).events();

        List<HistoryEntry> readQueue = upToEnd.stream().filter(p -> p.queue() != null).toList();
        HistoryEntry baseline = readQueue.stream().filter(p -> p.at().isBefore(since)).reduce((a, b) -> b)
                .orElse(readQueue.stream().filter(p -> !p.at().isBefore(since)).findFirst().orElse(null));
        HistoryEntry end = inWindow.stream().filter(p -> p.queue() != null).reduce((a, b) -> b).orElse(null);

        List<HistoryEntry> fromBaseline = new ArrayList<>();
        if (baseline != null) {
            upToEnd.stream().filter(p -> !p.at().isBefore(baseline.at())).forEach(fromBaseline::add);
        }

        List<JournalRecord> upToEndJournal = journal.stream().filter(r -> !r.at().isAfter(until)).toList();
        List<JournalRecord> journalInWindow = upToEndJournal.stream().filter(r -> !r.at().isBefore(since)).toList();
        Set<Long> settled = new HashSet<>();
        upToEndJournal.stream().filter(JournalRecord::isOutcomeRecord).forEach(r -> settled.add(r.intentSeq()));

        return new WindowReport(target, since, until,
                new Recorded(inWindow.size(), events.size(), journalInWindow.size(), history.skipped(), journalSkipped),
                baseline == null ? null : ProbePoint.of(baseline, since),
                end == null ? null : ProbePoint.of(end, since),
                CheckSpell.find(upToEnd, since),
                ActionCount.of(journalInWindow, settled),
                MailCounts.of(journalInWindow.stream().filter(JournalRecord::isOutcomeRecord).toList()),
                Drain.find(fromBaseline, since),
                events);
    }
}
