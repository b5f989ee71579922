package io.mailwatchdog.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This installation's stable id, kept in {@code <state-dir>/owner-id}: the owner written into the lock
 * row in Odoo, so that a daemon restarted after a crash knows its own lock (and restores its own hold)
 * instead of waiting for the lease. The role tells the daemon from a command-line {@code --apply}
 * that shares the state-dir: they are different owners.
 */
public final class OwnerId {

    private static final Pattern SHAPE = Pattern.compile("[0-9a-f-]{36}");

    private OwnerId() {
    }

    /** {@code <uuid>/<role>}, the uuid created on first use. */
    public static String of(Path stateDir, String role) throws IOException {
        Path file = stateDir.resolve("owner-id");
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (SHAPE.matcher(id).matches()) {
                return id + "/" + role;
            }
        }
        Files.createDirectories(stateDir);
        String id = UUID.randomUUID().toString();
        Path tmp = Files.createTempFile(stateDir, ".owner-", ".tmp");
        try {
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // leave the default
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return id + "/" + role;
    }
}
