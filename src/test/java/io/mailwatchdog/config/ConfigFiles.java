package io.mailwatchdog.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes config text into a test's temp directory and finds lines in it. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 1-based number of the only line containing snippet. */
    static int lineOf(String text, String snippet) {
        String[] lines = text.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(snippet)) {
                if (found != -1) {
                    throw new IllegalArgumentException("snippet on several lines: " + snippet);
                }
                found = i + 1;
            }
        }
        if (found == -1) {
            throw new IllegalArgumentException("snippet not found: " + snippet);
        }
        return found;
    }
}
