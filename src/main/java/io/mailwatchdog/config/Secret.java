package io.mailwatchdog.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A password or API key. Its value leaves this object only through {@link #reveal()}, so that
 * logging a settings record, an exception or a problem list can never print it.
 */
public final class Secret {
    public enum Source { INLINE, ENV, FILE }

    /** What is printed instead of a secret value. */
    static final String MASK = "********";

    private final String value;
    private final Source source;
    private final String origin;

    private Secret(String value, Source source, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.source = source;
        this.origin = origin;
    }

    public static Secret inline(String value) {
        return new Secret(value, Source.INLINE, "inline");
    }

    public static Secret fromEnv(String variable, String value) {
        return new Secret(value, Source.ENV, "env " + variable);
    }

    public static Secret fromFile(Path file, String value) {
        return new Secret(value, Source.FILE, "file " + file);
    }

    public Source source() {
        return source;
    }

    /** Where the value came from, never the value: "inline", "env ODOO_PW", "file /run/x". */
    public String origin() {
        return origin;
    }

    /** The only accessor of the value: call it where the value goes on the wire, nowhere else. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK + " (" + origin + ")";
    }

    /** Value and source, so that a reload can tell that a secret changed. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && source == other.source && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, value);
    }
}
