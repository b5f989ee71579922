package io.mailwatchdog.simulator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code read_group} (16.0–19.0) and {@code formatted_read_group} (19.0) over rows already filtered by
 * the domain, in the shapes the fixtures show: a datetime group is labelled for display
 * ({@code "01:00 23 Nov"}, babel's 12-hour {@code hh}) with its bounds in {@code __range} (read_group) or
 * as {@code [start, label]} (formatted_read_group); {@code __domain} is the group's domain ANDed with
 * the search domain, {@code __extra_domain} the group's alone.
 */
final class ReadGroups {

    private ReadGroups() {
    }

    /** One {@code groupby} entry: a field and, for datetimes, its granularity (month by default). */
    record Spec(String key, FieldDef field, String granularity) {
        static Spec parse(String text, ModelSchema schema, VersionProfile version) {
            String[] parts = text.split(":", 2);
            FieldDef field = schema.field(parts[0].strip());
            if (field == null || "display_name".equals(field.name())) {
                throw RpcFault.invalidField(version, schema.name, parts[0].strip());
            }
            String granularity = parts.length > 1 ? parts[1].strip().toLowerCase(Locale.ROOT)
                    : field.type() == FieldType.DATETIME ? "month" : null;
            if (granularity != null && !List.of("hour", "day", "week", "month", "quarter", "year").contains(granularity)) {
                throw RpcFault.valueError(version, "Invalid date/time grouping: '" + granularity + "'");
            }
            return new Spec(text.strip(), field, field.type() == FieldType.DATETIME ? granularity : null);
        }

        boolean dated() {
            return granularity != null;
        }

        Object key(Map<String, Object> row) {
            Object value = row.get(field.name());
            return dated() && value != null ? start((Instant) value, granularity) : value;
        }
    }

    record Group(List<Object> keys, List<Map<String, Object>> rows) {
    }

    static List<Group> group(List<Map<String, Object>> rows, List<Spec> specs) {
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> keys = new ArrayList<>(specs.size());
            for (Spec s : specs) {
                keys.add(s.key(row));
            }
            groups.computeIfAbsent(keys, k -> new ArrayList<>()).add(row);
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Group(k, v)));
        out.sort(byKeys(specs.size()));
        return out;
    }

    /** Groups come ordered by their values, ascending, empty last (PostgreSQL's ORDER BY ... ASC). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Group> byKeys(int n) {
        return (a, b) -> {
            for (int i = 0; i < n; i++) {
                Object x = a.keys().get(i);
                Object y = b.keys().get(i);
                if (Objects.equals(x, y)) {
                    continue;
                }
                if (x == null) {
                    return 1;
                }
                if (y == null) {
                    return -1;
                }
                return ((Comparable) x).compareTo(y);
            }
            return 0;
        };
    }

    /** read_group's row for one group. {@code lazy} groups by the first spec only and counts as {@code <field>_count}. */
    static Map<String, Object> readGroupRow(Group group, List<Spec> specs, List<?> domain, boolean lazy,
                                            VersionProfile version, FieldDef.DisplayNames names) {
        Map<String, Object> row = new LinkedHashMap<>();
        int count = group.rows().size();
        String countKey = lazy ? specs.get(0).field().name() + "_count" : "__count";
        if (version.major <= 16) {
            row.put(countKey, count); // 16.0 writes the count first (read_group_mail_mail_by_state)
        }
        Map<String, Object> ranges = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Object key = group.keys().get(i);
            if (s.dated()) {
                row.put(s.key(), key == null ? Boolean.FALSE : label((Instant) key, s.granularity()));
                ranges.put(s.key(), key == null ? Boolean.FALSE : range((Instant) key, s.granularity()));
            } else {
                row.put(s.key(), s.field().toWire(key, names));
            }
        }
        if (version.major > 16) {
            row.put(countKey, count);
        }
        if (!ranges.isEmpty()) {
            row.put("__range", ranges);
        }
        row.put("__domain", Domain.and(List.of(groupDomain(group, specs), domain)));
        return row;
    }

    /** formatted_read_group's row (19.0): datetime groups as {@code [start, label]}, the group's own domain. */
    static Map<String, Object> formattedRow(Group group, List<Spec> specs, List<String> aggregates,
                                            VersionProfile version, FieldDef.DisplayNames names) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Object key = group.keys().get(i);
            if (s.dated()) {
                row.put(s.key(), key == null ? Boolean.FALSE
                        : List.of(OdooDatetimes.format((Instant) key), label((Instant) key, s.granularity())));
            } else {
                row.put(s.key(), s.field().toWire(key, names));
            }
        }
        row.put("__extra_domain", groupDomain(group, specs));
        for (String aggregate : aggregates) {
            if ("__count".equals(aggregate)) {
                row.put("__count", group.rows().size());
            } else {
                throw RpcFault.valueError(version, "Invalid aggregate '" + aggregate + "' (the simulator counts only)");
            }
        }
        return row;
    }

    private static Map<String, Object> range(Instant start, String granularity) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("from", OdooDatetimes.format(start));
        range.put("to", OdooDatetimes.format(end(start, granularity)));
        return range;
    }

    private static List<Object> groupDomain(Group group, List<Spec> specs) {
        List<List<?>> parts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Object key = group.keys().get(i);
            String f = s.field().name();
            if (key == null) {
                parts.add(List.of(List.of(f, "=", Boolean.FALSE)));
            } else if (s.dated()) {
                parts.add(List.of("&", List.of(f, ">=", OdooDatetimes.format((Instant) key)),
                        List.of(f, "<", OdooDatetimes.format(end((Instant) key, s.granularity())))));
            } else {
                parts.add(List.of(List.of(f, "=", key)));
            }
        }
        return Domain.and(parts);
    }

    static Instant start(Instant at, String granularity) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        ZonedDateTime s = switch (granularity) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "week" -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case "quarter" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).withMonth((t.getMonthValue() - 1) / 3 * 3 + 1);
            default -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
        return s.toInstant();
    }

    static Instant end(Instant start, String granularity) {
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        ZonedDateTime next = switch (granularity) {
            case "hour" -> t.plusHours(1);
            case "day" -> t.plusDays(1);
            case "week" -> t.plusWeeks(1);
            case "month" -> t.plusMonths(1);
            case "quarter" -> t.plusMonths(3);
            default -> t.plusYears(1);
        };
        return next.toInstant();
    }

    /** Odoo's READ_GROUP_DISPLAY_FORMAT, in the user's timezone (UTC here). */
    static String label(Instant start, String granularity) {
        String pattern = switch (granularity) {
            case "hour" -> "hh:00 dd MMM";
            case "day" -> "dd MMM yyyy";
            case "week" -> "'W'w YYYY";
            case "quarter" -> "QQQ yyyy";
            case "year" -> "yyyy";
            default -> "MMMM yyyy";
        };
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(start.atZone(ZoneOffset.UTC));
    }
}
