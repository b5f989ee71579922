package io.mailwatchdog.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.state.StateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The rows of mails before the stale policy cancels or deletes them:
 * {@code <state-dir>/archive/<target>/<UTC time>-<kind>-<n>.jsonl.gz}, gzip-compressed JSON lines, one
 * {@code {"mail": {...}, "attachments": [...]}} per mail (directory 0700, file 0600). An archive is
 * fsynced, with its directory, before {@link ArchiveWriter#finish} returns; only then may Odoo be
 * written. Archives hold mail bodies and attachments: never log or print one, only its path.
 */
public final class Archive {

    /** Sorts by time; the time is UTC to the millisecond, so that two batches never share a name. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{6}\\.\\d{3}Z)-[a-z]+-\\d+\\.jsonl\\.gz");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Syncing to disk, apart so that a test can see it happen (and in which order). */
    interface Fsync {
        void file(FileChannel channel) throws IOException;

        void directory(Path directory) throws IOException;

        Fsync REAL = new Fsync() {
            @Override
            public void file(FileChannel channel) throws IOException {
                channel.force(true);
            }

            @Override
            public void directory(Path directory) throws IOException {
                try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException notSupported) {
                    // some file systems cannot sync a directory; the file's own fsync still holds
                }
            }
        };
    }

    private final Path stateDir;
    private final Path directory;
    private final Clock clock;
    private final Fsync fsync;

    Archive(Path stateDir, String target, Clock clock, Fsync fsync) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        String json = StateFiles.fileName(Objects.requireNonNull(target, "target"));
        String name = json.substring(0, json.length() - ".json".length());
        // a target may be named ".." (a file name for the journal, but a directory here)
        this.directory = stateDir.resolve("archive").resolve(name.matches("\\.+") ? "_" + name : name);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fsync = fsync;
    }

    /** The archives of {@code target} in {@code stateDir}. Creates nothing until the first archive. */
    public static Archive of(Path stateDir, String target, Clock clock) {
        return new Archive(stateDir, target, clock, Fsync.REAL);
    }

    /** {@code <state-dir>/archive/<target>}. */
    public Path directory() {
        return directory;
    }

    /**
     * Starts a new archive for batch {@code n} of a run, of {@code kind} ({@code outgoing},
     * {@code exception}). Never overwrites a file.
     */
    public ArchiveWriter create(String kind, int n) throws IOException {
        if (!kind.matches("[a-z]+")) {
            throw new IllegalArgumentException("an archive's kind is lower-case letters, not " + kind);
        }
        createPrivateDirectories();
        Path file = directory.resolve(TIME.format(clock.instant()) + "-" + kind + "-" + n + ".jsonl.gz");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        return new ArchiveWriter(file, stateDir.relativize(file).toString(), channel, fsync);
    }

    /** Archives whose time (in their name) is older than {@code retention}; other files are never listed. */
    public List<Path> olderThan(Duration retention) throws IOException {
        Instant cutoff = clock.instant().minus(retention);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                Instant at = timeOf(f);
                if (at != null && at.isBefore(cutoff) && Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Deletes the archives older than {@code retention}; returns how many. */
    public int deleteOlderThan(Duration retention) throws IOException {
        int deleted = 0;
        for (Path f : olderThan(retention)) {
            try {
                Files.delete(f);
                deleted++;
            } catch (NoSuchFileException gone) {
                // another run deleted it
            }
        }
        return deleted;
    }

    /** The time in an archive's name; null for any other file. */
    static Instant timeOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        try {
            return Instant.from(TIME.parse(m.group(1)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Reads an archive back, one JSON object per mail (for restoring by hand, and for tests). */
    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    private void createPrivateDirectories() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (stateDir.getParent() != null) {
            Files.createDirectories(stateDir.getParent());
        }
        for (Path dir : List.of(stateDir, stateDir.resolve("archive"), directory)) {
            if (Files.isDirectory(dir)) {
                continue;
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
}
