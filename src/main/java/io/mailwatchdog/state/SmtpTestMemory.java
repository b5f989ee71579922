package io.mailwatchdog.state;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last connection-test result per mail server login, kept across runs. A test is a real SMTP
 * login: one the server refused is retested only after a slow backoff, or at once when the server's
 * record changes (its revision key includes write_date).
 */
public final class SmtpTestMemory {

    /** One remembered result. */
    public record Result(String outcome, String failureClass, String detail, Instant testedAt) {
    }

    /** The file's content: revision key → result. */
    public record Memory(Map<String, Result> results) {
    }

    private static final String DIR = "smtp-tests/";
    private final StateFiles files;

    public SmtpTestMemory(StateFiles files) {
        this.files = files;
    }

    public Map<String, Result> load(String target) {
        return files.read(DIR + StateFiles.fileName(target), Memory.class)
                .map(m -> new HashMap<>(m.results() == null ? Map.of() : m.results()))
                .orElseGet(HashMap::new);
    }

    public void save(String target, Map<String, Result> results) throws IOException {
        files.write(DIR + StateFiles.fileName(target), new Memory(results));
    }

    /** A refused SMTP login still inside its backoff: reuse it instead of logging in again. */
    public static Optional<Result> reusableRefusal(Map<String, Result> memory, String revision, Instant now,
                                                   java.time.Duration backoff) {
        Result last = memory.get(revision);
        if (last == null || !"FAIL".equals(last.outcome()) || !"AUTH".equals(last.failureClass())) {
            return Optional.empty();
        }
        return last.testedAt().plus(backoff).isAfter(now) ? Optional.of(last) : Optional.empty();
    }
}
