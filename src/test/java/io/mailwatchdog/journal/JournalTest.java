package io.mailwatchdog.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal: intents on disk before the write, outcomes linked to them, and nothing lost to a crash. */
class JournalTest {

    static final Instant T0 = Instant.parse("2026-11-23T00:50:00Z");

    @TempDir
    Path dir;

    /** A clock that moves one minute each time it is read. */
    static final class Ticking extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plus(Duration.ofMinutes(1));
            return t;
        }
    }

    Path state() {
        return dir.resolve("state");
    }

    Journal journal() throws IOException {
        return Journal.open(state(), "prod", new Ticking());
    }

    @Test
    void anIntentIsOnDiskBeforeIntentReturns() throws IOException {
        long seq = journal().intent("revive-scheduler", "mail scheduler inactive", "scheduler.active", List.of(42),
                Map.of("active", false));
        // a fresh instance, as after a crash right after intent() returned
        List<JournalRecord> onDisk = Journal.open(state(), "prod", Clock.systemUTC()).read(JournalQuery.all());
        assertThat(onDisk).singleElement().satisfies(r -> {
            assertThat(r.seq()).isEqualTo(seq).isEqualTo(1);
            assertThat(r.type()).isEqualTo("intent");
            assertThat(r.action()).isEqualTo("revive-scheduler");
            assertThat(r.check()).isEqualTo("scheduler.active");
            assertThat(r.ids()).containsExactly(42);
            assertThat(r.details()).containsEntry("active", false);
            assertThat(r.at()).isEqualTo(T0);
            assertThat(r.target()).isEqualTo("prod");
        });
        assertThat(Files.readString(Journal.file(state(), "prod"))).endsWith("\n").hasLineCount(1);
    }

    @Test
    void theSequenceContinuesAfterAReopen() throws IOException {
        Journal first = journal();
        first.intent("flush", "backlog", null, List.of(1, 2), null);
        first.intent("flush", "backlog", null, List.of(3), null);
        Journal again = journal();
        assertThat(again.lastSeq()).isEqualTo(2);
        assertThat(again.intent("flush", "backlog", null, List.of(4), null)).isEqualTo(3);
        // the first instance sees the other's record and does not reuse its seq
        assertThat(first.intent("flush", "backlog", null, List.of(5), null)).isEqualTo(4);
    }

    @Test
    void anOutcomeLinksToItsIntentAndSettlesIt() throws IOException {
        Journal journal = journal();
        long revive = journal.intent("revive-scheduler", "inactive", "scheduler.active", List.of(7), null);
        long flush = journal.intent("flush", "backlog of 120", "queue.oldest-outgoing", List.of(1, 2, 3), null);
        assertThat(journal.openIntents()).extracting(JournalRecord::seq).containsExactly(revive, flush);

        journal.outcome(revive, Outcome.DONE, "active = true", Map.of("active", true));

        assertThat(journal.openIntents()).extracting(JournalRecord::seq).containsExactly(flush);
        assertThat(journal().openIntents()).extracting(JournalRecord::seq).containsExactly(flush);
        JournalRecord outcome = journal.read(JournalQuery.all()).get(2);
        assertThat(outcome.type()).isEqualTo("outcome");
        assertThat(outcome.intentSeq()).isEqualTo(revive);
        assertThat(outcome.action()).isEqualTo("revive-scheduler");
        assertThat(outcome.ids()).containsExactly(7);
        assertThat(outcome.outcome()).isEqualTo("done");
        assertThat(outcome.message()).isEqualTo("active = true");
        assertThat(outcome.seq()).isEqualTo(3);
    }

    @Test
    void anOutcomeForAnUnknownOrSettledIntentIsRefused() throws IOException {
        Journal journal = journal();
        long seq = journal.intent("flush", "backlog", null, List.of(1), null);
        journal.outcome(seq, Outcome.UNKNOWN, "timed out", null);
        assertThatThrownBy(() -> journal.outcome(seq, Outcome.DONE, "again", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq " + seq);
        assertThatThrownBy(() -> journal.outcome(99, Outcome.DONE, "never", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(journal.read(JournalQuery.all())).hasSize(2);
    }

    @Test
    void aTornLastLineIsSkippedAndTheNextAppendIsReadable() throws IOException {
        Journal journal = journal();
        long first = journal.intent("flush", "backlog", null, List.of(1), null);
        Path file = Journal.file(state(), "prod");
        // a crash in the middle of the second append
        Files.writeString(file, "{\"seq\":2,\"at\":\"2026-11-23T00:5", StandardOpenOption.APPEND);

        Journal reopened = journal();
        assertThat(reopened.read(JournalQuery.all())).extracting(JournalRecord::seq).containsExactly(first);
        assertThat(reopened.skippedLines()).isEqualTo(1);
        assertThat(reopened.openIntents()).extracting(JournalRecord::seq).containsExactly(first);

        long next = reopened.intent("revive-scheduler", "inactive", null, List.of(9), null);
        assertThat(next).isEqualTo(2);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).startsWith("{\"seq\":2,");
        assertThat(journal().read(JournalQuery.all())).extracting(JournalRecord::seq).containsExactly(first, next);
    }

    @Test
    void aTornMultiByteCharacterDoesNotBreakReading() throws IOException {
        Journal journal = journal();
        journal.intent("flush", "backlog", null, List.of(1), null);
        byte[] euro = "{\"seq\":2,\"reason\":\"€".getBytes(StandardCharsets.UTF_8);
        Files.write(Journal.file(state(), "prod"), java.util.Arrays.copyOf(euro, euro.length - 1), StandardOpenOption.APPEND);
        assertThat(journal().read(JournalQuery.all())).hasSize(1);
        assertThat(journal().intent("flush", "é", null, null, null)).isEqualTo(2);
    }

    @Test
    void theJournalIsPrivateToTheWatchdogsUser() throws IOException {
        journal().intent("flush", "backlog", null, List.of(1), null);
        Path file = Journal.file(state(), "prod");
        assertThat(file).isEqualTo(state().resolve("journal/prod.jsonl"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state()))).isEqualTo("rwx------");
    }

    @Test
    void openingAJournalCreatesNothingUntilTheFirstRecord() throws IOException {
        Journal journal = journal();
        assertThat(journal.read(JournalQuery.all())).isEmpty();
        assertThat(journal.openIntents()).isEmpty();
        assertThat(state()).doesNotExist();
    }

    @Test
    void aTargetNameCannotEscapeTheJournalDirectory() {
        assertThat(Journal.file(state(), "../etc/passwd")).isEqualTo(state().resolve("journal/.._etc_passwd.jsonl"));
    }

    @Test
    void readingFiltersByActionTimeAndTheMostRecentN() throws IOException {
        Journal journal = journal(); // T0, T0+1m, ...
        for (int i = 1; i <= 6; i++) {
            journal.intent(i % 2 == 0 ? "flush" : "revive-scheduler", "r" + i, null, List.of(i), null);
        }
        assertThat(journal.read(JournalQuery.all().withAction("flush"))).extracting(JournalRecord::seq)
                .containsExactly(2L, 4L, 6L);
        assertThat(journal.read(JournalQuery.all().withSince(T0.plus(Duration.ofMinutes(3)))))
                .extracting(JournalRecord::seq).containsExactly(4L, 5L, 6L);
        assertThat(journal.read(JournalQuery.all().withLimit(2))).extracting(JournalRecord::seq).containsExactly(5L, 6L);
        assertThat(journal.read(new JournalQuery("revive-scheduler", T0.plusSeconds(1), 1)))
                .extracting(JournalRecord::seq).containsExactly(5L);
    }

    @Test
    void writersOnOneTargetNeverShareASeq() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> seqs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int id = i;
                // separate instances, as two components of one daemon would have
                seqs.add(pool.submit(() -> Journal.open(state(), "prod", Clock.systemUTC())
                        .intent("flush", "backlog", null, List.of(id), null)));
            }
            List<Long> got = new ArrayList<>();
            for (Future<Long> f : seqs) {
                got.add(f.get());
            }
            assertThat(got).doesNotHaveDuplicates().hasSize(40).allMatch(s -> s >= 1 && s <= 40);
        } finally {
            pool.shutdownNow();
        }
        assertThat(journal().read(JournalQuery.all())).extracting(JournalRecord::seq).isSorted().hasSize(40);
    }
}
