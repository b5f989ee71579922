package io.mailwatchdog.config;

import com.typesafe.config.ConfigValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a target's password or API key from exactly one of {@code password},
 * {@code password-env} or {@code password-file}. Messages name keys, variables and files,
 * never a value.
 */
final class SecretReader {
    private final ValueReader read;
    private final Map<String, String> env;
    private final Path baseDir;

    SecretReader(ValueReader read, Map<String, String> env, Path baseDir) {
        this.read = read;
        this.env = env;
        this.baseDir = baseDir;
    }

    Optional<Secret> read(Scope s) {
        List<String> given = Schema.SECRET_KEYS.stream().filter(s::setInBlock).toList();
        if (given.isEmpty()) {
            read.blockProblem(s, "missing secret: set exactly one of password, password-env, password-file");
            return Optional.empty();
        }
        if (given.size() > 1) {
            // Point at the one written last: it is the one that came in addition.
            String extra = given.stream().max(Comparator.comparingInt(k -> line(s, k))).orElseThrow();
            read.problem(s, extra, "set exactly one of password, password-env, password-file; this target sets "
                    + String.join(" and ", given));
            return Optional.empty();
        }
        return switch (given.get(0)) {
            case "password" -> inline(s);
            case "password-env" -> fromEnv(s);
            default -> fromFile(s);
        };
    }

    private Optional<Secret> inline(Scope s) {
        Optional<String> value = read.string(s, "password");
        if (value.isPresent() && value.get().isEmpty()) {
            read.problem(s, "password", "must not be empty");
            return Optional.empty();
        }
        return value.map(Secret::inline);
    }

    private Optional<Secret> fromEnv(Scope s) {
        Optional<String> variable = read.requiredString(s, "password-env", "the name of an environment variable");
        if (variable.isEmpty()) {
            return Optional.empty();
        }
        String value = env.get(variable.get());
        if (value == null || value.isEmpty()) {
            read.problem(s, "password-env", "environment variable " + variable.get()
                    + (value == null ? " is not set" : " is empty"));
            return Optional.empty();
        }
        return Optional.of(Secret.fromEnv(variable.get(), value));
    }

    private Optional<Secret> fromFile(Scope s) {
        Optional<String> name = read.requiredString(s, "password-file", "the path of a file holding the password");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = baseDir.resolve(name.get());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            read.problem(s, "password-file", "cannot read secret file " + file
                    + (Files.exists(file) ? ": not a readable regular file" : ": it does not exist"));
            return Optional.empty();
        }
        String value;
        try {
            // Files written by echo or editors end with a newline that is not part of the password.
            value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            // The exception's own text is not echoed: it could quote what was read.
            read.problem(s, "password-file", "cannot read secret file " + file + ": " + e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (value.isEmpty()) {
            read.problem(s, "password-file", "secret file " + file + " is empty");
            return Optional.empty();
        }
        return Optional.of(Secret.fromFile(file, value));
    }

    private static int line(Scope s, String path) {
        ConfigValue value = s.value(path);
        return value == null ? -1 : value.origin().lineNumber();
    }
}
