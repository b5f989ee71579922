package io.mailwatchdog.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.testing.SampleReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe history: one compact line a probe or event, private files, bounded on disk, damaged lines skipped. */
class ProbeHistoryTest {

    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path state() {
        return dir.resolve("state");
    }

    ProbeHistory history(UnaryOperator<String> redact, long maxBytes) {
        return ProbeHistory.open(state(), "shop", Clock.fixed(T0, ZoneOffset.UTC), redact, maxBytes);
    }

    List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    void aProbeLineHoldsTheTimeTheStatusOfEachCheckAndTheQueueShapeButNoEvidenceText() throws IOException {
        history(UnaryOperator.identity(), ProbeHistory.DEFAULT_MAX_BYTES).probe(SampleReports.stalled("shop", T0));

        List<String> lines = lines(ProbeHistory.file(state(), "shop"));
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("at").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(line.get("target").asText()).isEqualTo("shop");
        assertThat(line.get("type").asText()).isEqualTo("probe");
        assertThat(line.get("status").asText()).isEqualTo("FAIL");
        assertThat(JSON.convertValue(line.get("checks"), Map.class)).containsExactly(
                Map.entry("odoo.reachable", "PASS"), Map.entry("scheduler.active", "FAIL"),
                Map.entry("queue.oldest-outgoing", "FAIL"), Map.entry("queue.exceptions", "WARN"),
                Map.entry("smtp.server-test", "UNKNOWN"));
        JsonNode queue = line.get("queue");
        assertThat(queue.get("counts").get("outgoing").asInt()).isEqualTo(60);
        assertThat(queue.get("counts").get("sent").asInt()).isEqualTo(12);
        assertThat(queue.get("counts").get("exception").asInt()).isEqualTo(9);
        assertThat(queue.get("counts").get("cancel").asInt()).isZero();
        assertThat(queue.get("due").asInt()).isEqualTo(58);
        assertThat(queue.get("oldestDueAgeSeconds").asLong()).isEqualTo(10_800);
        assertThat(queue.get("exceptionsLastHour").asInt()).isEqualTo(7);
        JsonNode first = queue.get("signatures").get(0);
        assertThat(first.get("class").asText()).isEqualTo("TRANSPORT");
        assertThat(first.get("count").asInt()).isEqualTo(7);
        assertThat(first.get("signature").asText()).isEqualTo("111 / Connection refused");
        assertThat(JSON.convertValue(first.get("ids"), List.class)).as("at most 5 example ids")
                .containsExactly(838, 839, 840, 841, 842);
        assertThat(queue.get("signatures").get(1).get("class").asText()).isEqualTo("RECIPIENT");
        assertThat(lines.get(0)).as("no finding text, no hint, no server detail")
                .doesNotContain("no mail leaves").doesNotContain("re-enable").doesNotContain("relay-user");
        assertThat(line.has("failure")).isFalse();
    }

    @Test
    void anEventLineHoldsItsKindTextAndDetails() throws IOException {
        history(UnaryOperator.identity(), ProbeHistory.DEFAULT_MAX_BYTES)
                .event("circuit opened", "chunk 3: 40% failed", Map.of("chunk", 3, "failureRatio", 0.4));

        JsonNode line = JSON.readTree(lines(ProbeHistory.file(state(), "shop")).get(0));
        assertThat(line.get("type").asText()).isEqualTo("event");
        assertThat(line.get("at").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(line.get("kind").asText()).isEqualTo("circuit opened");
        assertThat(line.get("text").asText()).isEqualTo("chunk 3: 40% failed");
        assertThat(line.get("details").get("chunk").asInt()).isEqualTo(3);
        assertThat(line.get("details").get("failureRatio").asDouble()).isEqualTo(0.4);
        assertThatThrownBy(() -> history(UnaryOperator.identity(), 100).event(" ", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyAndSoIsItsDirectory() throws IOException {
        history(UnaryOperator.identity(), ProbeHistory.DEFAULT_MAX_BYTES).event("circuit closed", null, null);

        Path file = ProbeHistory.file(state(), "shop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void theFileIsRotatedAtItsSizeSoThatOnlyOneOlderFileIsKeptAndTheReaderReadsBoth() throws IOException {
        long max = 2_000;
        ProbeHistory history = history(UnaryOperator.identity(), max);
        for (int i = 0; i < 40; i++) {
            history.probe(SampleReports.stalled("shop", T0.plusSeconds(60L * i)));
        }
        Path current = ProbeHistory.file(state(), "shop");
        Path previous = ProbeHistory.previousFile(state(), "shop");

        assertThat(Files.size(current)).isLessThanOrEqualTo(max);
        assertThat(Files.size(previous)).isLessThanOrEqualTo(max);
        try (var files = Files.list(current.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("shop.jsonl", "shop.jsonl.1");
        }
        HistoryLines read = HistoryReader.read(state(), "shop");
        assertThat(read.skipped()).isZero();
        int kept = lines(previous).size() + lines(current).size();
        assertThat(read.entries()).hasSize(kept);
        assertThat(kept).isLessThan(40);
        // the newest lines survive, oldest first, without a gap between the two files
        assertThat(read.entries().get(kept - 1).at()).isEqualTo(T0.plusSeconds(60L * 39));
        for (int i = 1; i < kept; i++) {
            assertThat(read.entries().get(i).at()).isEqualTo(read.entries().get(i - 1).at().plusSeconds(60));
        }
    }

    @Test
    void aTornOrForeignLineIsSkippedAndCountedAndTheNextLineStartsFresh() throws IOException {
        ProbeHistory history = history(UnaryOperator.identity(), ProbeHistory.DEFAULT_MAX_BYTES);
        history.event("circuit opened", null, null);
        Path file = ProbeHistory.file(state(), "shop");
        Files.writeString(file, "not json at all\n{\"at\":\"2026-11-23T12:00:00Z\",\"type\":\"weather\"}\n{\"at\":\"2026-11-23T12:0",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        history.event("circuit closed", null, null);

        HistoryLines read = HistoryReader.read(state(), "shop");
        assertThat(read.skipped()).isEqualTo(3);
        assertThat(read.entries()).extracting(HistoryEntry::kind).containsExactly("circuit opened", "circuit closed");
    }

    @Test
    void everyStringOfALineGoesThroughTheRedactor() throws IOException {
        history(s -> s.replace("S3cret", "********"), ProbeHistory.DEFAULT_MAX_BYTES)
                .event("retry paused", "the relay said S3cret", Map.of("why", "S3cret echoed"));

        String text = Files.readString(ProbeHistory.file(state(), "shop"));
        assertThat(text).doesNotContain("S3cret").contains("the relay said ********").contains("******** echoed");
    }

    @Test
    void theLastProbeIsOverwrittenWholeWithTheSnapshotAndTheFindings() throws IOException {
        TargetReport first = SampleReports.stalled("shop", T0);
        LastProbe.save(state(), first, T0, UnaryOperator.identity());
        LastProbe.save(state(), SampleReports.stalled("shop", T0.plusSeconds(60)), T0.plusSeconds(61), UnaryOperator.identity());

        JsonNode last = LastProbe.read(state(), "shop").orElseThrow();
        assertThat(last.get("savedAt").asText()).isEqualTo("2026-11-23T12:01:01Z");
        assertThat(last.get("status").asText()).isEqualTo("FAIL");
        assertThat(last.get("snapshot").get("takenAt").asText()).isEqualTo("2026-11-23T12:01:00Z");
        assertThat(last.get("snapshot").get("queue").get("due").asInt()).isEqualTo(58);
        assertThat(last.get("snapshot").get("servers").get(0).get("test").get("failureClass").asText()).isEqualTo("TRANSPORT");
        assertThat(last.get("findings")).hasSize(5);
        assertThat(last.get("findings").get(1).get("hint").asText()).isEqualTo("re-enable the Mail: Email Queue Manager cron");
        Path file = LastProbe.file(state(), "shop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left").containsExactly("shop.json");
        }
    }

    @Test
    void noHistoryReadsAsEmpty() throws IOException {
        assertThat(HistoryReader.exists(state(), "shop")).isFalse();
        assertThat(HistoryReader.read(state(), "shop").entries()).isEmpty();
        assertThat(LastProbe.read(state(), "shop")).isEmpty();
    }
}
