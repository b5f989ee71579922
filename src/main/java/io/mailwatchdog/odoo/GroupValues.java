package io.mailwatchdog.odoo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the start of a datetime group ({@code create_date:hour}) from a read_group or
 * formatted_read_group row. Odoo labels such groups for display ({@code "13:00 23 Nov"}), so the
 * machine value comes from {@code __range} (17.0+), a raw value, or the group's domain (16.0).
 */
final class GroupValues {

    private GroupValues() {
    }

    /** The group's start, or null when the group is the one where the field is unset. */
    static Instant start(Map<String, Object> row, String groupKey) throws OdooProtocolError {
        String field = groupKey.substring(0, groupKey.indexOf(':'));
        Object value = row.get(groupKey);
        if (OdooValues.isEmpty(value)) {
            return null;
        }
        if (row.get("__range") instanceof Map<?, ?> ranges && ranges.get(groupKey) instanceof Map<?, ?> range) {
            Instant from = parse(range.get("from"));
            if (from != null) {
                return from;
            }
        }
        if (value instanceof Object[] pair && pair.length > 0) {
            Instant raw = parse(pair[0]);
            if (raw != null) {
                return raw;
            }
        }
        Instant raw = parse(value);
        if (raw != null) {
            return raw;
        }
        for (String key : List.of("__domain", "__extra_domain")) {
            Instant fromDomain = lowerBound(row.get(key), field);
            if (fromDomain != null) {
                return fromDomain;
            }
        }
        throw new OdooProtocolError("cannot tell where the group " + groupKey + " = " + value + " starts");
    }

    private static Instant lowerBound(Object domain, String field) {
        if (!(domain instanceof Object[] terms)) {
            return null;
        }
        for (Object term : terms) {
            if (term instanceof Object[] t && t.length == 3 && field.equals(t[0]) && ">=".equals(t[1])) {
                Instant at = parse(t[2]);
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
    }

    private static Instant parse(Object value) {
        if (!(value instanceof String s) || s.length() < 19) {
            return null;
        }
        try {
            return OdooValues.datetime(s, "group");
        } catch (OdooProtocolError e) {
            return null;
        }
    }
}
