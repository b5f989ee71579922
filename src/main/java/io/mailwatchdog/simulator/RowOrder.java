package io.mailwatchdog.simulator;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * An Odoo {@code order} string ({@code "create_date asc, id asc"}) as a row comparator, with
 * PostgreSQL's placement of empty values: last when ascending, first when descending. Ties end on
 * the id, the order PostgreSQL's heap usually gives.
 */
final class RowOrder {

    private RowOrder() {
    }

    static Comparator<Map<String, Object>> parse(String order, ModelSchema schema, VersionProfile version) {
        Comparator<Map<String, Object>> result = null;
        String spec = order == null || order.isBlank() ? schema.defaultOrder : order;
        for (String part : spec.split(",")) {
            String[] words = part.strip().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            String name = words[0];
            if (!schema.has(name) || "display_name".equals(name)) {
                throw RpcFault.invalidField(version, schema.name, name);
            }
            boolean desc = words.length > 1 && "desc".equals(words[1].toLowerCase(Locale.ROOT));
            boolean nullsFirst = desc;
            String rest = part.toLowerCase(Locale.ROOT);
            if (rest.contains("nulls first")) {
                nullsFirst = true;
            } else if (rest.contains("nulls last")) {
                nullsFirst = false;
            }
            Comparator<Map<String, Object>> one = byField(name, desc, nullsFirst);
            result = result == null ? one : result.thenComparing(one);
        }
        Comparator<Map<String, Object>> byId = Comparator.comparing(row -> (Integer) row.get("id"));
        return result == null ? byId : result.thenComparing(byId);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Map<String, Object>> byField(String name, boolean desc, boolean nullsFirst) {
        return (a, b) -> {
            Object x = a.get(name);
            Object y = b.get(name);
            if (x == null || y == null) {
                if (x == y) {
                    return 0;
                }
                return (x == null) == nullsFirst ? -1 : 1;
            }
            int c = ((Comparable) x).compareTo(y);
            return desc ? -c : c;
        };
    }
}
