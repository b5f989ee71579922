package io.mailwatchdog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real request/response bodies captured from Odoo 16.0–19.0, in ../shared/odoo-fixtures. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("odoo-fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/odoo-fixtures not found above " + here);
    }

    /** "18" is the top folder; "16", "17", "19" the vNN folders. */
    public static Path dir(String version) {
        return "18".equals(version) ? root() : root().resolve("v" + version);
    }

    public static String response(String version, String name) {
        return read(dir(version).resolve(name + ".response.xml"));
    }

    public static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
