package io.mailwatchdog.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's reading of a history whose window opens in the middle of an incident. */
class WindowReportTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    static HistoryEntry probe(int minute, String status, String oldest, String exceptions, int due, int exception) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("scheduler.active", status);
        checks.put("queue.oldest-outgoing", oldest);
        checks.put("queue.exceptions", exceptions);
        QueueShape queue = new QueueShape(Map.of("outgoing", due, "exception", exception), due, due > 0 ? 3600 : 0, 0,
                List.of());
        return new HistoryEntry(T0.plusSeconds(60L * minute), "shop", HistoryEntry.PROBE, status, checks, queue, null,
                null, null, null);
    }

    @Test
    void aBacklogAlreadyThereAtTheBaselineDrainsWhenTheQueueChecksPassNotWhenItIsBelowThatBaseline() {
        HistoryLines history = new HistoryLines(List.of(
                probe(0, "FAIL", "FAIL", "WARN", 60, 5),  // the incident began before the window
                probe(10, "FAIL", "FAIL", "WARN", 40, 5),  // below the baseline's backlog, still backed up
                probe(20, "WARN", "PASS", "WARN", 0, 5),
                probe(30, "PASS", "PASS", "PASS", 0, 0)), 0);

        WindowReport r = WindowReport.of("shop", T0.plusSeconds(300), T0.plusSeconds(3600), history, List.of(), 0);

        assertThat(r.baseline().at()).isEqualTo(T0);
        assertThat(r.baseline().beforeWindow()).isTrue();
        assertThat(r.drains()).singleElement().satisfies(d -> {
            assertThat(d.from()).isEqualTo(T0);
            assertThat(d.beganBeforeWindow()).isTrue();
            assertThat(d.to()).isEqualTo(T0.plusSeconds(1800));
            assertThat(d.seconds()).isEqualTo(1800);
            assertThat(d.peakDue()).isEqualTo(60);
            assertThat(d.peakExceptions()).isEqualTo(5);
        });
        assertThat(r.checks()).extracting(CheckSpell::check, CheckSpell::from, CheckSpell::to, CheckSpell::beganBeforeWindow)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("scheduler.active", T0, T0.plusSeconds(1800), true),
                        org.assertj.core.groups.Tuple.tuple("queue.oldest-outgoing", T0, T0.plusSeconds(1200), true),
                        org.assertj.core.groups.Tuple.tuple("queue.exceptions", T0, T0.plusSeconds(1800), true));
    }

    @Test
    void aSpellThatEndedBeforeTheWindowIsNotReported() {
        HistoryLines history = new HistoryLines(List.of(
                probe(0, "FAIL", "PASS", "PASS", 0, 0),
                probe(10, "PASS", "PASS", "PASS", 0, 0),
                probe(40, "PASS", "PASS", "PASS", 0, 0)), 0);

        WindowReport r = WindowReport.of("shop", T0.plusSeconds(1800), T0.plusSeconds(3600), history, List.of(), 0);

        assertThat(r.checks()).isEmpty();
        assertThat(r.drains()).isEmpty();
        assertThat(r.baseline().at()).isEqualTo(T0.plusSeconds(600));
        assertThat(r.recorded().probes()).isEqualTo(1);
    }
}
