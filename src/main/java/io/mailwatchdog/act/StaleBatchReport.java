package io.mailwatchdog.act;

import io.mailwatchdog.journal.ArchiveFile;
import java.util.List;

/**
 * One batch of a cleanup run, as the summary shows it: its ids abbreviated (a run may touch a million
 * mails; the journal has every id).
 *
 * @param number         the batch's number in the run, also in its archive's name
 * @param kind           {@code outgoing} or {@code exception}
 * @param action         {@code cancel} or {@code purge}
 * @param sample         the first ids
 * @param insteadOfPurge for a cancel the policy wanted as a purge: why; else null
 * @param archive        null in a dry-run, or when no mail was left to archive
 * @param outcome        {@code planned} (dry-run), or what happened
 */
public record StaleBatchReport(int number, String kind, String action, int count, List<Integer> sample, int firstId,
                               int lastId, String reason, String insteadOfPurge, ArchiveFile archive, String outcome) {

    static final int SAMPLE = 10;

    public StaleBatchReport {
        sample = List.copyOf(sample);
    }

    static StaleBatchReport of(int number, io.mailwatchdog.recovery.StalePlan.Batch batch, ArchiveFile archive,
                               String outcome) {
        List<Integer> ids = batch.ids();
        return new StaleBatchReport(number, batch.kind().label(), batch.action().label(), ids.size(),
                ids.subList(0, Math.min(SAMPLE, ids.size())), ids.isEmpty() ? 0 : ids.get(0),
                ids.isEmpty() ? 0 : ids.get(ids.size() - 1), batch.reason(), batch.insteadOfPurge(), archive, outcome);
    }

    /** {@code 11,12,13 … 210} for a long batch, every id for a short one. */
    public String abbreviatedIds() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sample.size(); i++) {
            b.append(i == 0 ? "" : ",").append(sample.get(i));
        }
        if (count > sample.size()) {
            b.append(count > sample.size() + 1 ? " … " : ",").append(lastId);
        }
        return b.toString();
    }
}
