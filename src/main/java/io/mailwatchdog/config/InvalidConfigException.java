package io.mailwatchdog.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in one load, thrown together; the CLI prints them and exits 78 (EX_CONFIG). */
public final class InvalidConfigException extends Exception {
    private final transient Path file;
    private final List<ConfigProblem> problems;

    public InvalidConfigException(Path file, List<ConfigProblem> problems) {
        super(describe(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The config file that was loaded, or null when none was found. */
    public Path file() {
        return file;
    }

    private static String describe(Path file, List<ConfigProblem> problems) {
        String head = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return head + " in " + (file == null ? "the configuration" : file.toString()) + ":\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
