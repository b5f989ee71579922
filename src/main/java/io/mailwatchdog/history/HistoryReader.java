package io.mailwatchdog.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads a target's probe history, the rotated {@code .1} file first; a line that is not whole is skipped and counted. */
public final class HistoryReader {

    private HistoryReader() {
    }

    /** Every line of {@code target}'s history (both files), oldest first; empty when there is none. */
    public static HistoryLines read(Path stateDir, String target) throws IOException {
        List<HistoryEntry> entries = new ArrayList<>();
        int skipped = 0;
        for (Path file : List.of(ProbeHistory.previousFile(stateDir, target), ProbeHistory.file(stateDir, target))) {
            skipped += readInto(file, entries);
        }
        // stable: lines of one instant keep the order they were written in
        entries.sort(Comparator.comparing(HistoryEntry::at));
        return new HistoryLines(entries, skipped);
    }

    /** Whether {@code target} has any history file. */
    public static boolean exists(Path stateDir, String target) {
        return Files.isRegularFile(ProbeHistory.file(stateDir, target))
                || Files.isRegularFile(ProbeHistory.previousFile(stateDir, target));
    }

    private static int readInto(Path file, List<HistoryEntry> entries) throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        int skipped = 0;
        // a torn multi-byte character becomes U+FFFD instead of failing the whole read
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                HistoryEntry entry = parse(line);
                if (entry == null) {
                    skipped++;
                } else {
                    entries.add(entry);
                }
            }
        }
        return skipped;
    }

    /** A whole line of history, or null. */
    static HistoryEntry parse(String line) {
        try {
            HistoryEntry e = JsonText.JSON.readValue(line, HistoryEntry.class);
            if (e == null || e.at() == null || !(e.isProbe() || e.isEvent())) {
                return null;
            }
            if (e.isProbe() && (e.status() == null || e.checks() == null)) {
                return null;
            }
            if (e.isEvent() && (e.kind() == null || e.kind().isBlank())) {
                return null;
            }
            return e;
        } catch (IOException | RuntimeException notALine) {
            return null;
        }
    }
}
