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
 * Reads a secret from one of three keys: {@code base} (inline), {@code base-env} (the name of an
 * environment variable) or {@code base-file} (a file relative to the config file's directory),
 * such as a target's {@code password}, {@code http.token} or a webhook's {@code url}. Messages
 * name keys, variables and files, never a value.
 */
final class SecretReader {
    /**
     * One secret's keys and how messages speak of it.
     *
     * @param base     the inline key, relative to the scope: "password", "http.token", "url"
     * @param what     what the secret is, for "a file holding the ..."
     * @param holder   who sets too many of the keys: "this target", "this webhook"
     * @param required true: exactly one key must be set; false: at most one (none = no secret)
     */
    record Keys(String base, String what, String holder, boolean required) {
        static final Keys PASSWORD = new Keys("password", "password", "this target", true);
        static final Keys HTTP_TOKEN = new Keys("http.token", "token", "the configuration", false);
        static final Keys WEBHOOK_URL = new Keys("url", "webhook URL", "this webhook", true);

        String env() {
            return base + "-env";
        }

        String file() {
            return base + "-file";
        }

        List<String> all() {
            return Schema.secretKeys(base);
        }
    }

    private final ValueReader read;
    private final Map<String, String> env;
    private final Path baseDir;

    SecretReader(ValueReader read, Map<String, String> env, Path baseDir) {
        this.read = read;
        this.env = env;
        this.baseDir = baseDir;
    }

    /** A target's password or API key: exactly one of password, password-env, password-file. */
    Optional<Secret> read(Scope s) {
        return read(s, Keys.PASSWORD);
    }

    /** The secret, or empty when none is set (a problem if required) or it cannot be read. */
    Optional<Secret> read(Scope s, Keys keys) {
        List<String> given = keys.all().stream().filter(s::setHere).toList();
        String choice = (keys.required() ? "exactly" : "at most") + " one of " + String.join(", ", keys.all());
        if (given.isEmpty()) {
            if (keys.required()) {
                read.blockProblem(s, "missing secret: set " + choice);
            }
            return Optional.empty();
        }
        if (given.size() > 1) {
            // Point at the one written last: it is the one that came in addition.
            String extra = given.stream().max(Comparator.comparingInt(k -> line(s, k))).orElseThrow();
            read.problem(s, extra, "set " + choice + "; " + keys.holder() + " sets " + String.join(" and ", given));
            return Optional.empty();
        }
        String key = given.get(0);
        if (key.equals(keys.env())) {
            return fromEnv(s, key);
        }
        if (key.equals(keys.file())) {
            return fromFile(s, key, keys.what());
        }
        return inline(s, key);
    }

    private Optional<Secret> inline(Scope s, String key) {
        Optional<String> value = read.string(s, key);
        if (value.isPresent() && value.get().isEmpty()) {
            read.problem(s, key, "must not be empty");
            return Optional.empty();
        }
        return value.map(Secret::inline);
    }

    private Optional<Secret> fromEnv(Scope s, String key) {
        Optional<String> variable = read.requiredString(s, key, "the name of an environment variable");
        if (variable.isEmpty()) {
            return Optional.empty();
        }
        String value = env.get(variable.get());
        if (value == null || value.isEmpty()) {
            read.problem(s, key, "environment variable " + variable.get()
                    + (value == null ? " is not set" : " is empty"));
            return Optional.empty();
        }
        return Optional.of(Secret.fromEnv(variable.get(), value));
    }

    private Optional<Secret> fromFile(Scope s, String key, String what) {
        Optional<String> name = read.requiredString(s, key, "the path of a file holding the " + what);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = baseDir.resolve(name.get());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            read.problem(s, key, "cannot read secret file " + file
                    + (Files.exists(file) ? ": not a readable regular file" : ": it does not exist"));
            return Optional.empty();
        }
        String value;
        try {
            // Files written by echo or editors end with a newline that is not part of the secret.
            value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            // The exception's own text is not echoed: it could quote what was read.
            read.problem(s, key, "cannot read secret file " + file + ": " + e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (value.isEmpty()) {
            read.problem(s, key, "secret file " + file + " is empty");
            return Optional.empty();
        }
        return Optional.of(Secret.fromFile(file, value));
    }

    private static int line(Scope s, String path) {
        ConfigValue value = s.value(path);
        return value == null ? -1 : value.origin().lineNumber();
    }
}
