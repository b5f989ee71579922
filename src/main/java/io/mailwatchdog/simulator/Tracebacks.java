package io.mailwatchdog.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Python tracebacks of Fault 1, per version, taken from the fixtures (resources tracebacks/):
 * the marshal-None one verbatim, and the frames from the RPC controller down to the called method,
 * which the simulator ends with the exception's own line. Clients judge the last line only.
 */
final class Tracebacks {

    private static final String HEADER = "Traceback (most recent call last):\n";
    private static final Map<VersionProfile, String> CALL = new EnumMap<>(VersionProfile.class);
    private static final Map<VersionProfile, String> MARSHAL_NONE = new EnumMap<>(VersionProfile.class);

    static {
        for (VersionProfile v : VersionProfile.values()) {
            CALL.put(v, HEADER + resource("call." + v.major + ".txt"));
            MARSHAL_NONE.put(v, resource("marshal_none." + v.major + ".txt"));
        }
    }

    private Tracebacks() {
    }

    /** Everything before the exception line of an error raised by the called method. */
    static String call(VersionProfile version) {
        return CALL.get(version);
    }

    static String marshalNone(VersionProfile version) {
        return MARSHAL_NONE.get(version);
    }

    private static String resource(String name) {
        try (InputStream in = Tracebacks.class.getResourceAsStream("tracebacks/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource tracebacks/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
