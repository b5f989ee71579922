package io.mailwatchdog.history;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Directories 0700 and files 0600, as the journal makes them: history lines name mail ids and SMTP errors. */
final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents; the ones created here are readable by the owner only. */
    static void directories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            directories(parent);
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException raced) {
            // another writer made it
        }
    }

    /** Creates an empty file readable and writable by the owner only, unless it exists. */
    static void file(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            // another writer made it
        }
    }
}
