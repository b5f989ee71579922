package io.mailwatchdog.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Python's {@code repr()} of the values that end up inside Odoo's texts: SMTP replies are bytes
 * ({@code b'5.1.1 Mailbox unavailable'}), refused recipients a dict of tuples, domain leaves tuples.
 */
final class PyRepr {

    private PyRepr() {
    }

    /** Python bytes, written from a server reply's text. */
    record Bytes(String text) {
        @Override
        public String toString() {
            return repr(this);
        }
    }

    record Tuple(List<Object> items) {
        static Tuple of(Object... items) {
            return new Tuple(java.util.Arrays.asList(items));
        }

        @Override
        public String toString() {
            return repr(this);
        }
    }

    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (value instanceof String s) {
            return quote(s, false);
        }
        if (value instanceof Bytes b) {
            return "b" + quote(b.text(), true);
        }
        if (value instanceof Tuple t) {
            String inner = t.items().stream().map(PyRepr::repr).collect(Collectors.joining(", "));
            return "(" + inner + (t.items().size() == 1 ? ",)" : ")");
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PyRepr::repr).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return quote(value.toString(), false);
    }

    private static String quote(String s, boolean bytes) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(q);
        if (bytes) {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c >= 0x80) {
                    out.append(String.format("\\x%02x", c));
                } else {
                    escape(out, (char) c, q);
                }
            }
        } else {
            for (int i = 0; i < s.length(); i++) {
                escape(out, s.charAt(i), q);
            }
        }
        return out.append(q).toString();
    }

    private static void escape(StringBuilder out, char c, char quote) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c == quote) {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }
}
