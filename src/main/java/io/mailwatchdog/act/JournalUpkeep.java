package io.mailwatchdog.act;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates a target's journal once it reached {@code journal.rotate-at}, and deletes rotated files past
 * {@code journal.archive-retention}. Run after a writer's work, never during it (no intent is in flight).
 */
public final class JournalUpkeep {
    private static final Logger LOG = LoggerFactory.getLogger(JournalUpkeep.class);

    private JournalUpkeep() {
    }

    /**
     * @return the rotation, when one happened. A rotation that fails (a full disk) is logged, never thrown: the
     *         writes before it are done, and their summary must still be told.
     */
    public static Optional<Journal.Rotation> run(Journal journal, TargetSettings target, Clock clock) {
        try {
            return rotate(journal, target, clock);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: the journal could not be rotated ({}); it stays as it is and is tried again after the next"
                    + " write", target.name(), e.toString());
            return Optional.empty();
        }
    }

    private static Optional<Journal.Rotation> rotate(Journal journal, TargetSettings target, Clock clock)
            throws IOException {
        Optional<Journal.Rotation> r = journal.rotateIfLarger(target.journal().rotateAt(),
                clock.instant().minus(target.journal().keepFor(target.retry())));
        r.ifPresent(done -> LOG.info("{}: journal rotated: {} record(s) kept, {} moved to {}", target.name(), done.kept(),
                done.archived(), done.archive()));
        int deleted = journal.deleteArchivesOlderThan(target.journal().archiveRetention());
        if (deleted > 0) {
            LOG.info("{}: {} rotated journal file(s) older than {} deleted", target.name(), deleted,
                    target.journal().archiveRetention());
        }
        return r;
    }
}
