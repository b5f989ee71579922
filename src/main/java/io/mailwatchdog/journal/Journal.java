package io.mailwatchdog.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailwatchdog.state.StateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The append-only record of every write the watchdog makes to one target's Odoo:
 * {@code <state-dir>/journal/<target>.jsonl}, one JSON object a line (directory 0700, file 0600).
 *
 * <p>Every write gets two records. First its <em>intent</em> ({@link #intent}): what, why, which check, which ids.
 * {@code intent()} returns only once the line is fsynced, so the caller writes to Odoo <em>after</em> it returns,
 * never before. Then its <em>outcome</em> ({@link #outcome}), linked by the intent's {@code seq} (written, and made
 * durable by the next intent's fsync). An intent
 * without an outcome ({@link #openIntents}) is a write that may or may not have happened: after a crash it is
 * reconciled by reading Odoo's state before any new action.
 *
 * <p><b>No secrets.</b> The API takes no password, API key or URL: callers pass actions, check ids, record ids
 * and non-secret details (field values, counts) only. Never put credentials, tokens or webhook URLs in
 * {@code details}.
 *
 * <p><b>Crashes.</b> A crash in the middle of an append leaves a torn last line. Reading skips any line that is
 * not a whole record ({@link #skippedLines}), and the next append starts on a fresh line. An intent whose line
 * was torn never returned from {@code intent()}, so its write was never attempted.
 *
 * <p><b>Concurrency.</b> Appends are serialized per file within the JVM (even across {@code Journal} instances)
 * and across processes by an exclusive file lock; {@code seq} is always the last seq on disk plus one, so it
 * keeps increasing across restarts and when a CLI {@code --apply} appends beside the daemon.
 */
public final class Journal {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path stateDir;
    private final Path file;
    private final String target;
    private final Clock clock;
    private final Object monitor;
    /** Stamped on each intent (details.writer): whose write it is, so reconciliation never settles a live writer's. */
    private final String writer;

    // What the file held when this instance last read or wrote it; re-read whenever its size differs.
    private long knownSize = -1;
    private Object knownKey;
    private long lastSeq;
    private boolean endsWithNewline = true;
    private int skipped;
    private final SortedMap<Long, JournalRecord> open = new TreeMap<>();

    private Journal(Path stateDir, String target, Clock clock, String writer) {
        this.writer = writer;
        this.stateDir = stateDir;
        this.target = target;
        this.clock = clock;
        this.file = file(stateDir, target);
        this.monitor = MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object());
    }

    /**
     * The journal of {@code target} in {@code stateDir}. Opening creates nothing: the directory and the file
     * appear with the first record.
     */
    public static Journal open(Path stateDir, String target, Clock clock) throws IOException {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(clock, "clock");
        Journal journal = new Journal(stateDir, target, clock, null);
        synchronized (journal.monitor) {
            journal.refresh();
        }
        return journal;
    }

    /** The same journal, whose intents say that {@code owner} (a lock owner id) writes them. */
    public Journal writtenBy(String owner) {
        return new Journal(stateDir, target, clock, owner); // it reads the file on first use
    }

    /** The lock owner id stamped on an intent, or null (written before writers were stamped). */
    public static String writerOf(JournalRecord intent) {
        return intent.details().get(WRITER) instanceof String w ? w : null;
    }

    public static final String WRITER = "writer";

    /** {@code <state-dir>/journal/<target>.jsonl}, with the target's name made safe as in {@link StateFiles}. */
    public static Path file(Path stateDir, String target) {
        String json = StateFiles.fileName(target);
        return stateDir.resolve("journal").resolve(json.substring(0, json.length() - ".json".length()) + ".jsonl");
    }

    public Path path() {
        return file;
    }

    public String target() {
        return target;
    }

    /**
     * Appends and fsyncs the intent of a write, and returns its seq. Call it before the write; write only
     * if it returns.
     *
     * @param action  what will be done, e.g. {@code revive-scheduler}
     * @param reason  why, in words (a finding's evidence)
     * @param check   the check id that asked for it, or null
     * @param ids     the Odoo record ids that will be written, or null
     * @param details non-secret details (e.g. field values before the write), or null
     */
    public long intent(String action, String reason, String check, List<Integer> ids, Map<String, Object> details)
            throws IOException {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("an intent needs an action");
        }
        Map<String, Object> stamped = details;
        if (writer != null) {
            stamped = new java.util.LinkedHashMap<>(details == null ? Map.of() : details);
            stamped.put(WRITER, writer);
        }
        Map<String, Object> d = stamped;
        return append(seq -> new JournalRecord(seq, now(), target, JournalRecord.INTENT, action, null, reason, check,
                ids, null, null, d), true).seq();
    }

    /**
     * Appends the outcome of the intent {@code intentSeq}; it repeats the intent's action and ids. Not fsynced by
     * itself: the next intent's fsync makes it durable with the whole file (fsync covers every earlier write of the
     * file), so an outcome can be lost only with the operating system, and then never without the intents after it;
     * its intent is then open and reconciled from Odoo's state like that of a crashed run. A killed process loses
     * nothing: the line is in the kernel's cache. Half the fsyncs of a retry batch (measured: bench/retry.sh).
     *
     * @throws IllegalArgumentException when no intent with that seq is waiting for its outcome (unknown, or
     *                                  already settled)
     */
    public void outcome(long intentSeq, Outcome outcome, String message, Map<String, Object> details)
            throws IOException {
        Objects.requireNonNull(outcome, "outcome");
        append(seq -> {
            JournalRecord intent = open.get(intentSeq);
            if (intent == null) {
                throw new IllegalArgumentException("no open intent with seq " + intentSeq + " in " + file
                        + " (unknown, or it already has an outcome)");
            }
            return new JournalRecord(seq, now(), target, JournalRecord.OUTCOME, intent.action(), intentSeq, null,
                    null, intent.ids(), outcome.label(), message, details);
        }, false);
    }

    /** Intents without an outcome, oldest first: what crash reconciliation settles before any new action. */
    public List<JournalRecord> openIntents() throws IOException {
        synchronized (monitor) {
            refresh();
            return List.copyOf(open.values());
        }
    }

    /**
     * The records that match {@code query}, oldest first. Only the matching ones are kept in memory (with
     * a limit, only the last {@code limit}): a journal of many retries is far larger than the heap.
     */
    public List<JournalRecord> read(JournalQuery query) throws IOException {
        java.util.ArrayDeque<JournalRecord> matching = new java.util.ArrayDeque<>();
        forEach(query, r -> {
            matching.addLast(r);
            if (query.limit() > 0 && matching.size() > query.limit()) {
                matching.removeFirst();
            }
        });
        return List.copyOf(matching);
    }

    /** Hands each record that matches {@code query} (its limit aside) to {@code sink}, oldest first, one at a time. */
    public void forEach(JournalQuery query, java.util.function.Consumer<JournalRecord> sink) throws IOException {
        synchronized (monitor) {
            scan(r -> {
                if (query.matches(r)) {
                    sink.accept(r);
                }
            });
        }
    }

    /** The last seq on disk, 0 for an empty journal. */
    public long lastSeq() throws IOException {
        synchronized (monitor) {
            refresh();
            return lastSeq;
        }
    }

    /** How many lines the last read skipped because they were not whole records (a torn append). */
    public int skippedLines() {
        synchronized (monitor) {
            return skipped;
        }
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private JournalRecord append(LongFunction<JournalRecord> make, boolean fsync) throws IOException {
        synchronized (monitor) {
            createPrivateFile();
            // the lock is on a file of its own: a rotation replaces the journal file, and an appender that
            // locked the old one would write to a file no longer in the directory
            try (FileChannel lockChannel = openLockFile(); FileLock lock = lockChannel.lock();
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock old = channel.lock()) { // the file itself too: what a watchdog before rotation locks
                refresh();
                JournalRecord record = make.apply(lastSeq + 1);
                String line = (endsWithNewline ? "" : "\n") + JSON.writeValueAsString(record) + "\n";
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                knownSize = -1; // until the line is whole on disk
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (fsync) {
                    channel.force(true);
                }
                knownSize = channel.size();
                lastSeq = record.seq();
                endsWithNewline = true;
                remember(record);
                return record;
            }
        }
    }

    /** Re-reads the file when it changed since this instance last saw it (another instance or process). */
    private void refresh() throws IOException {
        long size;
        Object key;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            size = attributes.size();
            key = attributes.fileKey();
        } catch (NoSuchFileException absent) {
            size = 0;
            key = null;
        }
        if (size != knownSize || !Objects.equals(key, knownKey)) {
            scan(r -> { });
        }
    }

    /** Reads every record (each handed to {@code sink}), and resets what this instance knows of the file. */
    private void scan(java.util.function.Consumer<JournalRecord> sink) throws IOException {
        lastSeq = 0;
        skipped = 0;
        open.clear();
        endsWithNewline = true;
        knownSize = 0;
        knownKey = null;
        if (!Files.isRegularFile(file)) {
            return;
        }
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            knownKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                channel.read(last, size - 1);
                endsWithNewline = last.get(0) == '\n';
            }
            // Decoding replaces malformed bytes (a torn multi-byte character) instead of failing.
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    java.nio.channels.Channels.newInputStream(channel.position(0)), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JournalRecord r = parse(line);
                if (r == null) {
                    skipped++;
                    continue;
                }
                lastSeq = Math.max(lastSeq, r.seq());
                remember(r);
                sink.accept(r);
            }
        }
        knownSize = size;
    }

    private void remember(JournalRecord r) {
        if (r.isIntentRecord()) {
            open.put(r.seq(), r);
        } else if (r.intentSeq() != null) {
            open.remove(r.intentSeq());
        }
    }

    private static JournalRecord parse(String line) {
        try {
            JournalRecord r = JSON.readValue(line, JournalRecord.class);
            if (r.seq() <= 0 || r.at() == null || !(r.isIntentRecord() || r.isOutcomeRecord())) {
                return null;
            }
            return r;
        } catch (IOException | RuntimeException notARecord) {
            return null;
        }
    }

    private FileChannel openLockFile() throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            return FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    /** What a rotation did: where the whole former file went, and how many records stayed and went. */
    public record Rotation(Path archive, int kept, int archived) {
    }

    /**
     * Once the file holds {@code rotateAt} bytes or more: copies it whole, gzip-compressed, to
     * {@code journal/archive/<target>-<UTC time>.jsonl.gz} (0600, fsynced with its directory), then replaces it
     * (atomically, by a rename) with the records still needed: every intent at or after {@code keepSince} or whose
     * outcome is, every intent still open (reconciliation needs it, however old), the outcomes of the intents kept,
     * and the last record, so that seq goes on increasing. Appenders of every process wait meanwhile.
     *
     * @return empty when the file is smaller than {@code rotateAt}
     */
    public java.util.Optional<Rotation> rotateIfLarger(long rotateAt, java.time.Instant keepSince) throws IOException {
        synchronized (monitor) {
            if (!Files.isRegularFile(file) || Files.size(file) < Math.max(rotateAt, NOT_WORTH_BELOW.getOrDefault(
                    file.toAbsolutePath().normalize(), 0L))) {
                return java.util.Optional.empty();
            }
            try (FileChannel lockChannel = openLockFile(); FileLock lock = lockChannel.lock()) {
                refresh();
                if (Files.size(file) < rotateAt) {
                    return java.util.Optional.empty();
                }
                // first pass: which intents stay
                java.util.Set<Long> keptIntents = new java.util.HashSet<>();
                long[] last = {0};
                scan(r -> {
                    last[0] = r.seq();
                    if (r.isIntentRecord() && !r.at().isBefore(keepSince)) {
                        keptIntents.add(r.seq());
                    } else if (r.isOutcomeRecord() && r.intentSeq() != null && !r.at().isBefore(keepSince)) {
                        keptIntents.add(r.intentSeq());
                    }
                });
                keptIntents.addAll(open.keySet());
                // a busy target may write more than rotate-at within keep: a rotation that would drop under a
                // quarter of rotate-at is not made, nor looked at again before the file grew by that much
                long[] dropped = {0};
                scan(r -> {
                    boolean keep = r.seq() == last[0] || (r.isIntentRecord() ? keptIntents.contains(r.seq())
                            : r.intentSeq() != null && keptIntents.contains(r.intentSeq()));
                    if (!keep) {
                        try {
                            dropped[0] += JSON.writeValueAsBytes(r).length + 1;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
                long size = Files.size(file);
                if (dropped[0] < rotateAt / 4) {
                    NOT_WORTH_BELOW.put(file.toAbsolutePath().normalize(), size + rotateAt / 4);
                    return java.util.Optional.empty();
                }
                NOT_WORTH_BELOW.remove(file.toAbsolutePath().normalize());
                Path archive = archiveWhole();
                // second pass: write the kept records to a new file, then put it in the journal's place
                Path fresh = file.resolveSibling(file.getFileName() + ".rotating");
                Files.deleteIfExists(fresh);
                int[] counts = new int[2];
                try (FileChannel out = FileChannel.open(fresh, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))) {
                    java.io.Writer writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                            java.nio.channels.Channels.newOutputStream(out), StandardCharsets.UTF_8));
                    java.io.IOException[] failed = {null};
                    scan(r -> {
                        boolean keep = r.seq() == last[0] || (r.isIntentRecord() ? keptIntents.contains(r.seq())
                                : r.intentSeq() != null && keptIntents.contains(r.intentSeq()));
                        if (!keep) {
                            counts[1]++;
                            return;
                        }
                        counts[0]++;
                        try {
                            writer.write(JSON.writeValueAsString(r));
                            writer.write('\n');
                        } catch (IOException e) {
                            failed[0] = e;
                        }
                    });
                    writer.flush();
                    if (failed[0] != null) {
                        throw failed[0];
                    }
                    out.force(true);
                }
                Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(file.getParent());
                scan(r -> { });
                return java.util.Optional.of(new Rotation(archive, counts[0], counts[1]));
            }
        }
    }

    /** Per journal file (this JVM): the size below which a rotation was found not worth it. */
    private static final ConcurrentHashMap<Path, Long> NOT_WORTH_BELOW = new ConcurrentHashMap<>();

    /** {@code <state-dir>/journal/archive}: the journals' former files. */
    public static Path archiveDirectory(Path stateDir) {
        return stateDir.resolve("journal").resolve("archive");
    }

    /** Deletes this target's rotated journal files older than {@code retention} (by the time in their name). */
    public int deleteArchivesOlderThan(java.time.Duration retention) throws IOException {
        Path dir = archiveDirectory(stateDir);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = baseName() + "-";
        java.time.Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".jsonl.gz")) {
                    continue;
                }
                String stamp = name.substring(prefix.length(), name.length() - ".jsonl.gz".length());
                java.time.Instant at;
                try {
                    at = java.time.Instant.from(ARCHIVE_TIME.parse(stamp));
                } catch (java.time.format.DateTimeParseException notOurs) {
                    continue; // another target's whose name starts like this one's
                }
                if (at.isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static final java.time.format.DateTimeFormatter ARCHIVE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private String baseName() {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".jsonl".length());
    }

    private Path archiveWhole() throws IOException {
        Path dir = archiveDirectory(stateDir);
        createPrivateDirectory(dir);
        Path archive = dir.resolve(baseName() + "-" + ARCHIVE_TIME.format(clock.instant()) + ".jsonl.gz");
        try (FileChannel out = FileChannel.open(archive, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(
                    java.nio.channels.Channels.newOutputStream(out))) {
                Files.copy(file, gz);
                gz.finish();
                out.force(true);
            }
        }
        syncDirectory(dir);
        return archive;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a directory
        }
    }

    private void createPrivateFile() throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            if (stateDir.getParent() != null && !Files.isDirectory(stateDir.getParent())) {
                Files.createDirectories(stateDir.getParent());
            }
            createPrivateDirectory(stateDir);
            createPrivateDirectory(dir);
        }
        if (Files.exists(file)) {
            return;
        }
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        // Make the new directory entry durable too, so that a synced intent is not lost with its file.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot sync a directory; the record's own fsync still holds
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            // another writer made it
        }
    }
}
