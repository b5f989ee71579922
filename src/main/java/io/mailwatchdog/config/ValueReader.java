package io.mailwatchdog.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed reads of single values. A bad value becomes a problem at its own line and the read
 * returns a harmless placeholder, so that validation goes on and reports everything at once.
 */
final class ValueReader {
    private final Problems problems;

    ValueReader(Problems problems) {
        this.problems = problems;
    }

    void problem(Scope scope, String path, String message) {
        ConfigValue value = scope.value(path);
        problems.add(value == null ? scope.blockOrigin() : value.origin(), scope.display(path), message);
    }

    void missing(Scope scope, String path, String message) {
        problems.add(scope.blockOrigin(), scope.displayMissing(path), message);
    }

    /** A problem with the block as a whole, such as a target without a secret. */
    void blockProblem(Scope scope, String message) {
        problems.add(scope.blockOrigin(), scope.blockPath(), message);
    }

    Duration positiveDuration(Scope scope, String path, String example) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return Duration.ZERO;
        }
        // HOCON reads a bare number as milliseconds: "connect = 10" would be 10 ms, never meant.
        if (value.valueType() == ConfigValueType.NUMBER) {
            problem(scope, path, "expected a duration with a unit such as " + example + ", got " + got(value)
                    + " (a bare number would mean milliseconds)");
            return Duration.ZERO;
        }
        Duration duration;
        try {
            duration = single(value).getDuration("v");
        } catch (ConfigException e) {
            problem(scope, path, "expected a duration such as " + example + ", got " + got(value));
            return Duration.ZERO;
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(scope, path, "must be greater than zero, got " + got(value));
        }
        return duration;
    }

    int positiveInt(Scope scope, String path) {
        Long number = wholeNumber(scope, path);
        if (number == null) {
            return 0;
        }
        if (number <= 0 || number > Integer.MAX_VALUE) {
            problem(scope, path, "must be a whole number greater than zero, got " + got(scope.value(path)));
            return 0;
        }
        return number.intValue();
    }

    /**
     * A whole number from min to max.
     *
     * @param range how the message says what is allowed: "a port from 0 to 65535 (0 = any free port)"
     */
    int intInRange(Scope scope, String path, int min, int max, String range) {
        Long number = wholeNumber(scope, path);
        if (number == null) {
            return min;
        }
        if (number < min || number > max) {
            problem(scope, path, "must be " + range + ", got " + got(scope.value(path)));
            return min;
        }
        return number.intValue();
    }

    /** The value's number, or null when unset or not a whole number (a problem then). */
    private Long wholeNumber(Scope scope, String path) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return null;
        }
        Object raw = value.unwrapped();
        try {
            return raw instanceof Number n && isWhole(n) ? n.longValue() : Long.parseLong(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            problem(scope, path, "expected a whole number, got " + got(value));
            return null;
        }
    }

    /**
     * One of the allowed words (lower case), matched case-insensitively; anything else is a
     * problem that lists them and suggests the nearest. Not for secrets: the value is quoted.
     */
    Optional<String> oneOf(Scope scope, String path, List<String> allowed) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return Optional.empty();
        }
        Object raw = value.unwrapped();
        if (value.valueType() == ConfigValueType.STRING && allowed.contains(((String) raw).toLowerCase(Locale.ROOT))) {
            return Optional.of(((String) raw).toLowerCase(Locale.ROOT));
        }
        String words = allowed.size() == 1 ? allowed.get(0)
                : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
        Optional<String> nearest = value.valueType() == ConfigValueType.STRING
                ? DidYouMean.suggest((String) raw, allowed) : Optional.empty();
        problem(scope, path, "expected " + words + ", got " + got(value)
                + nearest.map(s -> "; did you mean `" + s + "`?").orElse(""));
        return Optional.empty();
    }

    long positiveBytes(Scope scope, String path, String example) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return 0;
        }
        long bytes;
        try {
            bytes = single(value).getMemorySize("v").toBytes();
        } catch (ConfigException | IllegalArgumentException e) {
            problem(scope, path, "expected a size such as " + example + ", got " + got(value));
            return 0;
        }
        if (bytes <= 0) {
            problem(scope, path, "must be greater than zero, got " + got(value));
        }
        return bytes;
    }

    boolean bool(Scope scope, String path) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return false;
        }
        try {
            return single(value).getBoolean("v");
        } catch (ConfigException e) {
            problem(scope, path, "expected true or false, got " + got(value));
            return false;
        }
    }

    /**
     * A string value, or empty when unset. The value is never quoted in a message: this reads
     * passwords too.
     */
    Optional<String> string(Scope scope, String path) {
        if (!scope.reachable(path)) {
            return Optional.empty();
        }
        ConfigValue value = scope.value(path);
        if (value == null) {
            return Optional.empty();
        }
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            problem(scope, path, "expected a string, got " + KeyChecker.kindOf(value));
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value.unwrapped()));
    }

    /** A non-blank string; missing is a problem at the line of the enclosing block. */
    Optional<String> requiredString(Scope scope, String path, String what) {
        if (!scope.reachable(path)) {
            return Optional.empty();
        }
        if (scope.value(path) == null) {
            missing(scope, path, "missing: set " + what);
            return Optional.empty();
        }
        Optional<String> text = string(scope, path);
        if (text.isPresent() && text.get().isBlank()) {
            problem(scope, path, "must not be empty: set " + what);
            return Optional.empty();
        }
        return text;
    }

    /** A fraction greater than 0 and at most 1, such as 0.2. */
    double fraction(Scope scope, String path) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return 1;
        }
        if (value.valueType() != ConfigValueType.NUMBER) {
            problem(scope, path, "expected a fraction such as 0.2, got " + got(value));
            return 1;
        }
        double d = ((Number) value.unwrapped()).doubleValue();
        if (!(d > 0 && d <= 1)) {
            problem(scope, path, "must be greater than 0 and at most 1 (a fraction, 0.2 = 20 %), got " + got(value));
            return 1;
        }
        return d;
    }

    /** A list of non-blank strings, such as [ "res.users", "account.move" ]. */
    List<String> stringList(Scope scope, String path, String example) {
        ConfigValue value = present(scope, path);
        if (value == null) {
            return List.of();
        }
        if (value.valueType() != ConfigValueType.LIST) {
            problem(scope, path, "expected a list such as " + example + ", got " + got(value));
            return List.of();
        }
        List<String> strings = new java.util.ArrayList<>();
        for (ConfigValue element : (com.typesafe.config.ConfigList) value) {
            if (element.valueType() != ConfigValueType.STRING || ((String) element.unwrapped()).isBlank()) {
                problem(scope, path, "every element must be a non-empty string such as " + example + ", got " + got(element));
                return List.of();
            }
            strings.add(((String) element.unwrapped()).trim());
        }
        return strings;
    }

    /** The value, or null when unreadable; a missing default means reference.conf was replaced. */
    private ConfigValue present(Scope scope, String path) {
        if (!scope.reachable(path)) {
            return null;
        }
        ConfigValue value = scope.value(path);
        if (value == null) {
            missing(scope, path, "missing (is reference.conf on the classpath?)");
        }
        return value;
    }

    private static com.typesafe.config.Config single(ConfigValue value) {
        return ConfigFactory.empty().withValue("v", value);
    }

    private static boolean isWhole(Number n) {
        return !(n instanceof Double || n instanceof Float) || n.doubleValue() == Math.rint(n.doubleValue());
    }

    /** How a wrong value is echoed: strings quoted, containers by kind. Not for secrets. */
    static String got(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> ConfigUtil.quoteString((String) value.unwrapped());
            case NUMBER, BOOLEAN -> value.render();
            default -> KeyChecker.kindOf(value);
        };
    }
}
