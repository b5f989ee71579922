package io.mailwatchdog.history;

import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A target's probe history: {@code <state-dir>/history/<target>.jsonl}, one {@link HistoryEntry} a line
 * (directory 0700, file 0600). The daemon appends a line after every probe ({@link #probe}); anyone may append
 * an {@link #event}, such as {@code circuit opened} or {@code retry paused: daily quota reached}.
 *
 * <p><b>Bounded.</b> When a line would take the file past {@code maxBytes} (default {@value #DEFAULT_MAX_BYTES}
 * bytes), the file becomes {@code <target>.jsonl.1} (replacing the previous one) and a new file starts: at most
 * twice {@code maxBytes} on disk per target. {@link HistoryReader} reads both.
 *
 * <p><b>Not the journal.</b> History is for people looking back, not for recovery: lines are not fsynced, and a
 * line torn by a crash is skipped by the reader and followed by a fresh line. Appends are serialized within
 * the JVM and across processes (a file lock); a line a second process appends just as the file is rotated
 * may land at the end of the {@code .1} file, where the reader still finds it.
 *
 * <p><b>No secrets, no mail.</b> Lines hold statuses, counts, failure classes, normalised failure reasons and mail
 * ids: never a body, subject or address. Every string goes through the {@code redact} given at {@link #open};
 * callers of {@link #event} still pass non-secret details only.
 */
public final class ProbeHistory {

    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final String target;
    private final Clock clock;
    private final long maxBytes;
    private final UnaryOperator<String> redact;
    private final Object monitor;

    private ProbeHistory(Path stateDir, String target, Clock clock, long maxBytes, UnaryOperator<String> redact) {
        this.file = file(stateDir, target);
        this.target = target;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.redact = redact;
        this.monitor = MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object());
    }

    /** The history of {@code target} in {@code stateDir}; nothing is created until the first line. */
    public static ProbeHistory open(Path stateDir, String target, Clock clock) {
        return open(stateDir, target, clock, UnaryOperator.identity());
    }

    /** As {@link #open(Path, String, Clock)}, with every string of every line masked by {@code redact}. */
    public static ProbeHistory open(Path stateDir, String target, Clock clock, UnaryOperator<String> redact) {
        return open(stateDir, target, clock, redact, DEFAULT_MAX_BYTES);
    }

    /** With its own size limit (tests). */
    public static ProbeHistory open(Path stateDir, String target, Clock clock, UnaryOperator<String> redact,
                                    long maxBytes) {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(redact, "redact");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        return new ProbeHistory(stateDir, target, clock, maxBytes, redact);
    }

    /** {@code <state-dir>/history/<target>.jsonl}, the target's name made safe as in {@link StateFiles}. */
    public static Path file(Path stateDir, String target) {
        String json = StateFiles.fileName(target);
        return stateDir.resolve("history").resolve(json.substring(0, json.length() - ".json".length()) + ".jsonl");
    }

    /** The rotated file, {@code <target>.jsonl.1}. */
    public static Path previousFile(Path stateDir, String target) {
        Path current = file(stateDir, target);
        return current.resolveSibling(current.getFileName() + ".1");
    }

    public Path path() {
        return file;
    }

    /** Appends the line of one probe, at the time the probe was taken. */
    public void probe(TargetReport report) throws IOException {
        Instant at = report.snapshot().takenAt() != null ? report.snapshot().takenAt() : clock.instant();
        append(HistoryEntry.probe(report, at.truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * Appends an event line, now.
     *
     * @param kind    what happened, short and stable: {@code circuit opened}, {@code circuit closed},
     *                {@code retry paused: daily quota reached}
     * @param text    the details in words, or null
     * @param details non-secret details (counts, ratios, ids), or null
     */
    public void event(String kind, String text, Map<String, Object> details) throws IOException {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("an event needs a kind");
        }
        append(HistoryEntry.event(target, clock.instant().truncatedTo(ChronoUnit.MILLIS), kind, text, details));
    }

    private void append(HistoryEntry entry) throws IOException {
        byte[] line = (JsonText.JSON.writeValueAsString(JsonText.redacted(entry, redact)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        synchronized (monitor) {
            PrivateFiles.directories(file.getParent());
            PrivateFiles.file(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                long size = channel.size();
                if (size > 0 && size + line.length > maxBytes) {
                    rotate();
                } else {
                    write(channel, size, line);
                    return;
                }
            }
            // a fresh file after the rotation
            PrivateFiles.file(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                write(channel, channel.size(), line);
            }
        }
    }

    /** Writes the line at the end (the lock keeps the end where it is), after a newline when a crash tore the last line. */
    private static void write(FileChannel channel, long size, byte[] line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(line);
        if (size > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            if (last.get(0) != '\n') {
                bytes = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
            }
        }
        long at = size;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private void rotate() throws IOException {
        Path previous = file.resolveSibling(file.getFileName() + ".1");
        try {
            Files.move(file, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
