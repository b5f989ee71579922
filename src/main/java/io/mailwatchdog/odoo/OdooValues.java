package io.mailwatchdog.odoo;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes Odoo's XML-RPC values. Odoo sends {@code False} for every empty field (never nil),
 * datetimes as UTC {@code YYYY-MM-DD HH:MM:SS} strings, many2one as {@code [id, name]}
 * (ODOO-NOTES.md §2). A value of the wrong shape is a protocol error, never a ClassCastException.
 */
public final class OdooValues {

    private static final DateTimeFormatter ODOO_DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private OdooValues() {
    }

    public static boolean isEmpty(Object value) {
        return value == null || Boolean.FALSE.equals(value);
    }

    public static String str(Object value) {
        return isEmpty(value) ? null : String.valueOf(value);
    }

    public static Integer integer(Object value, String what) throws OdooProtocolError {
        if (isEmpty(value)) {
            return null;
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw unexpected(what, "an integer", value);
    }

    public static int count(Object value, String what) throws OdooProtocolError {
        Integer i = integer(value, what);
        if (i == null || i < 0) {
            throw unexpected(what, "a count", value);
        }
        return i;
    }

    public static boolean bool(Object value) {
        return Boolean.TRUE.equals(value);
    }

    /** A datetime field: UTC, no zone. */
    public static Instant datetime(Object value, String what) throws OdooProtocolError {
        if (isEmpty(value)) {
            return null;
        }
        if (value instanceof String s) {
            try {
                return LocalDateTime.parse(s.strip(), ODOO_DATETIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw unexpected(what, "a datetime", value);
            }
        }
        throw unexpected(what, "a datetime", value);
    }

    /** Formats an instant the way Odoo expects it in a domain. */
    public static String formatDatetime(Instant instant) {
        return WRITE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> struct(Object value, String what) throws OdooProtocolError {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw unexpected(what, "a struct", value);
    }

    public static List<Object> array(Object value, String what) throws OdooProtocolError {
        if (value instanceof Object[] array) {
            return List.of(array).stream().map(v -> (Object) v).toList();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw unexpected(what, "an array", value);
    }

    /** A list of records (structs), as {@code read} and {@code search_read} return. */
    public static List<Map<String, Object>> records(Object value, String what) throws OdooProtocolError {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : array(value, what)) {
            out.add(struct(item, what));
        }
        return out;
    }

    private static OdooProtocolError unexpected(String what, String expected, Object got) {
        String type = got == null ? "nothing" : got.getClass().getSimpleName();
        return new OdooProtocolError("unexpected reply to " + what + ": expected " + expected + ", got " + type);
    }
}
