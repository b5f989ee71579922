package io.mailwatchdog.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.simulator.SimulatedClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal past journal.rotate-at: archived whole, and the file keeps what reconciliation and the retry still need. */
class JournalRotationTest {
    @TempDir
    Path dir;
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-01T00:00:00Z"));

    Journal journal() throws Exception {
        return Journal.open(dir.resolve("state"), "prod", clock);
    }

    long pair(Journal j, String action) throws Exception {
        long seq = j.intent(action, "why", null, List.of(1, 2), Map.of());
        j.outcome(seq, Outcome.DONE, null, Map.of());
        return seq;
    }

    static List<String> gunzip(Path file) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    @Test
    void aLargeJournalIsArchivedWholeAndKeepsRecentRecordsOpenIntentsAndItsSeq() throws Exception {
        Journal j = journal();
        pair(j, "retry.requeue");                                       // old, settled: goes
        long oldOpen = j.intent("flush", "crashed long ago", null, List.of(7), Map.of()); // old, open: stays
        long straddling = j.intent("retry.send", "old intent", null, List.of(8), Map.of());
        clock.advance(Duration.ofDays(40));
        j.outcome(straddling, Outcome.DONE, null, Map.of());            // recent outcome: its intent stays with it
        long recent = pair(j, "retry.requeue");
        List<String> before = Files.readAllLines(j.path());

        Optional<Journal.Rotation> r = j.rotateIfLarger(1, clock.instant().minus(Duration.ofDays(30)));

        assertThat(r).isPresent();
        assertThat(gunzip(r.get().archive())).as("the archive holds the whole former file").isEqualTo(before);
        assertThat(Files.getPosixFilePermissions(r.get().archive())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<JournalRecord> kept = journal().read(JournalQuery.all());
        assertThat(kept).extracting(JournalRecord::seq)
                .containsExactly(oldOpen, straddling, straddling + 1, recent, recent + 1);
        assertThat(r.get().kept()).isEqualTo(5);
        assertThat(r.get().archived()).isEqualTo(2);
        assertThat(journal().openIntents()).extracting(JournalRecord::seq).containsExactly(oldOpen);
        assertThat(j.intent("flush", "next", null, List.of(), Map.of())).as("seq goes on").isEqualTo(recent + 2);
    }

    @Test
    void evenWithNothingRecentTheLastRecordStaysSoThatSeqNeverRestarts() throws Exception {
        Journal j = journal();
        pair(j, "flush");
        long last = pair(j, "flush");
        clock.advance(Duration.ofDays(400));

        j.rotateIfLarger(1, clock.instant().minus(Duration.ofDays(30)));

        assertThat(journal().read(JournalQuery.all())).extracting(JournalRecord::seq).containsExactly(last + 1);
        assertThat(journal().intent("flush", "after", null, List.of(), Map.of())).isEqualTo(last + 2);
    }

    @Test
    void aJournalSmallerThanRotateAtIsLeftAlone() throws Exception {
        Journal j = journal();
        pair(j, "flush");
        long size = Files.size(j.path());

        assertThat(j.rotateIfLarger(size + 1, clock.instant())).isEmpty();
        assertThat(Files.size(j.path())).isEqualTo(size);
        assertThat(Journal.archiveDirectory(dir.resolve("state"))).doesNotExist();
    }

    @Test
    void anotherInstanceThatKnewTheOldFileAppendsToTheNewOneAfterARotation() throws Exception {
        Journal rotating = journal();
        Journal other = journal();
        pair(rotating, "flush");
        long last = pair(rotating, "flush");
        assertThat(other.lastSeq()).isEqualTo(last + 1);
        clock.advance(Duration.ofDays(40));

        rotating.rotateIfLarger(1, clock.instant().minus(Duration.ofDays(30)));
        long seq = other.intent("retry.requeue", "after the rotation", null, List.of(3), Map.of());

        assertThat(seq).isEqualTo(last + 2);
        assertThat(journal().read(JournalQuery.all())).extracting(JournalRecord::seq).containsExactly(last + 1, seq);
        assertThat(journal().openIntents()).extracting(JournalRecord::seq).containsExactly(seq);
    }

    @Test
    void rotatedFilesPastTheirRetentionAreDeletedAndOtherTargetsFilesAreNot() throws Exception {
        Journal j = journal();
        pair(j, "flush");
        Path first = j.rotateIfLarger(1, clock.instant()).orElseThrow().archive();
        Path others = Journal.archiveDirectory(dir.resolve("state")).resolve("prod-eu-20261101T000000.000Z.jsonl.gz");
        Files.writeString(others, "not ours");
        clock.advance(Duration.ofDays(100));
        pair(j, "flush");
        Path second = j.rotateIfLarger(1, clock.instant()).orElseThrow().archive();

        assertThat(j.deleteArchivesOlderThan(Duration.ofDays(90))).isEqualTo(1);

        assertThat(first).doesNotExist();
        assertThat(second).exists();
        assertThat(others).exists();
    }

    @Test
    void aJournalWhoseRecentRecordsAloneExceedRotateAtIsNotRotatedAgainAndAgain() throws Exception {
        Journal j = journal();
        for (int i = 0; i < 200; i++) {
            pair(j, "flush");
        }
        long rotateAt = Files.size(j.path()) / 2;

        for (int run = 0; run < 5; run++) {
            pair(j, "flush");
            assertThat(j.rotateIfLarger(rotateAt, clock.instant().minus(Duration.ofDays(30))))
                    .as("nothing old enough to drop: no rotation").isEmpty();
        }
        assertThat(Journal.archiveDirectory(dir.resolve("state"))).doesNotExist();

        clock.advance(Duration.ofDays(40));
        for (int i = 0; i < 30; i++) { // looked at again once the file grew by a quarter of rotate-at
            pair(j, "flush");
        }
        assertThat(j.rotateIfLarger(rotateAt, clock.instant().minus(Duration.ofDays(30)))).as("once they aged").isPresent();
    }
}
