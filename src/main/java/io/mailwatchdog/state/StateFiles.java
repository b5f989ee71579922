package io.mailwatchdog.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Small JSON files in state-dir, written atomically (temp file, fsync, rename) so that a crash never
 * leaves half a file, and readable only by the watchdog's user.
 */
public final class StateFiles {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path root;

    public StateFiles(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public <T> Optional<T> read(String relative, Class<T> type) {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException unreadable) {
            // A damaged state file must not stop the check; it is rewritten on the next change.
            return Optional.empty();
        }
    }

    public void write(String relative, Object value) throws IOException {
        Path file = root.resolve(relative);
        Path dir = file.getParent();
        createPrivateDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".json");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public boolean delete(String relative) throws IOException {
        return Files.deleteIfExists(root.resolve(relative));
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: leave the default permissions
        }
    }

    /** Target names are validated to [A-Za-z0-9._-]; still, never let one escape its folder. */
    public static String fileName(String target) {
        return target.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }
}
