package io.mailwatchdog.config;

import com.typesafe.config.ConfigOrigin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects problems during one load. Duplicates are dropped: a bad root default is seen once
 * per target that inherits it but reported once.
 */
final class Problems {
    private final Path mainFile;
    private final Set<ConfigProblem> found = new LinkedHashSet<>();

    Problems(Path mainFile) {
        this.mainFile = mainFile;
    }

    void add(ConfigOrigin origin, String path, String message) {
        found.add(new ConfigProblem(fileOf(origin), origin == null ? -1 : origin.lineNumber(), path, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    /** Problems of the main file first, in line order, as a reader goes through the file. */
    InvalidConfigException toException() {
        List<ConfigProblem> sorted = new ArrayList<>(found);
        String main = String.valueOf(mainFile);
        sorted.sort(Comparator.comparing((ConfigProblem p) -> !p.file().equals(main))
                .thenComparing(ConfigProblem::file)
                .thenComparingInt(ConfigProblem::line));
        return new InvalidConfigException(mainFile, sorted);
    }

    private String fileOf(ConfigOrigin origin) {
        if (origin != null && origin.filename() != null) {
            return origin.filename();
        }
        if (origin != null && origin.resource() != null) {
            return origin.resource();
        }
        if (origin != null && origin.url() != null) {
            return origin.url().toString();
        }
        return String.valueOf(mainFile);
    }
}
