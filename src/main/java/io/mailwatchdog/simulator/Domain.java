package io.mailwatchdog.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Odoo search domains in prefix notation ({@code '&'}, {@code '|'}, {@code '!'}, implicit AND) evaluated
 * on in-memory rows, with SQL's treatment of empty values as Odoo generates it: {@code = False} is
 * IS NULL, {@code !=} and {@code not in} also match empty values, comparisons never do.
 */
final class Domain {

    private Domain() {
    }

    /** {@code odoo.osv.expression.normalize_domain}: explicit operators, an empty domain is TRUE. */
    static List<Object> normalize(List<?> domain) {
        List<Object> result = new ArrayList<>();
        if (domain == null || domain.isEmpty()) {
            result.add(List.of(1, "=", 1));
            return result;
        }
        int expected = 1;
        for (Object token : domain) {
            if (expected == 0) {
                result.add(0, "&");
                expected = 1;
            }
            if (token instanceof List<?>) {
                expected--;
            } else {
                expected += switch (String.valueOf(token)) {
                    case "!" -> 0;
                    case "&", "|" -> 1;
                    default -> -1;
                };
            }
            result.add(token);
        }
        return result;
    }

    /** {@code expression.AND}: empty domains dropped, each normalized, joined by {@code '&'}s in front. */
    static List<Object> and(List<List<?>> domains) {
        List<Object> body = new ArrayList<>();
        int count = 0;
        for (List<?> d : domains) {
            if (d == null || d.isEmpty()) {
                continue;
            }
            body.addAll(normalize(d));
            count++;
        }
        if (count == 0) {
            return new ArrayList<>(List.of(List.of(1, "=", 1)));
        }
        List<Object> result = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            result.add("&");
        }
        result.addAll(body);
        return result;
    }

    static boolean mentions(List<?> domain, String field) {
        for (Object token : domain) {
            if (token instanceof List<?> leaf && !leaf.isEmpty() && field.equals(leaf.get(0))) {
                return true;
            }
        }
        return false;
    }

    static Predicate<Map<String, Object>> compile(List<?> domain, ModelSchema schema, VersionProfile version) {
        List<Object> tokens = normalize(domain);
        Deque<Predicate<Map<String, Object>>> stack = new ArrayDeque<>();
        // Prefix notation evaluates right to left with a stack.
        for (int i = tokens.size() - 1; i >= 0; i--) {
            Object token = tokens.get(i);
            if (token instanceof List<?> leaf) {
                stack.push(leaf(leaf, schema, version));
                continue;
            }
            String op = String.valueOf(token);
            switch (op) {
                case "!" -> stack.push(pop(stack, domain, version).negate());
                case "&", "|" -> {
                    Predicate<Map<String, Object>> a = pop(stack, domain, version);
                    Predicate<Map<String, Object>> b = pop(stack, domain, version);
                    stack.push(op.equals("&") ? a.and(b) : a.or(b));
                }
                default -> throw RpcFault.valueError(version, "Invalid domain term " + PyRepr.repr(token));
            }
        }
        if (stack.size() != 1) {
            throw RpcFault.valueError(version, "Invalid domain " + PyRepr.repr(domain));
        }
        return stack.pop();
    }

    private static Predicate<Map<String, Object>> pop(Deque<Predicate<Map<String, Object>>> stack, List<?> domain,
                                                      VersionProfile version) {
        if (stack.isEmpty()) {
            throw RpcFault.valueError(version, "Invalid domain " + PyRepr.repr(domain));
        }
        return stack.pop();
    }

    private static Predicate<Map<String, Object>> leaf(List<?> leaf, ModelSchema schema, VersionProfile version) {
        if (leaf.size() != 3) {
            throw RpcFault.valueError(version, "Invalid leaf " + PyRepr.repr(new PyRepr.Tuple(new ArrayList<>(leaf))));
        }
        Object left = leaf.get(0);
        String op = String.valueOf(leaf.get(1)).toLowerCase(Locale.ROOT);
        Object right = leaf.get(2);
        if (left instanceof Integer constant) {
            boolean value = constant == 1; // TRUE_LEAF (1, '=', 1) / FALSE_LEAF (0, '=', 1)
            return row -> value;
        }
        FieldDef field = schema.field(String.valueOf(left));
        if (field == null || "display_name".equals(field.name())) {
            throw RpcFault.valueError(version, "Invalid field " + schema.name + "." + left + " in leaf "
                    + PyRepr.repr(new PyRepr.Tuple(new ArrayList<>(leaf))));
        }
        String name = field.name();
        if (field.type().toMany()) {
            return toManyLeaf(op, right, name, version, leaf);
        }
        return switch (op) {
            case "=" -> isEmpty(field, right) ? row -> empty(field, row.get(name))
                    : eq(field, field.domainValue(version, right), name);
            case "!=" -> isEmpty(field, right) ? row -> !empty(field, row.get(name))
                    : eq(field, field.domainValue(version, right), name).negate();
            case "<", "<=", ">", ">=" -> compare(op, field.domainValue(version, right), name, version, leaf);
            case "in", "not in" -> {
                List<?> values = right instanceof List<?> l ? l : List.of(right);
                boolean withEmpty = values.stream().anyMatch(v -> Boolean.FALSE.equals(v) && field.type() != FieldType.BOOLEAN);
                List<Object> wanted = new ArrayList<>();
                for (Object v : values) {
                    if (!(Boolean.FALSE.equals(v) && field.type() != FieldType.BOOLEAN)) {
                        wanted.add(field.domainValue(version, v));
                    }
                }
                // a hash set, as PostgreSQL's index would: a list made each row cost the number of ids asked for
                java.util.Set<Object> set = new java.util.HashSet<>(wanted);
                Predicate<Map<String, Object>> in = row -> {
                    Object value = row.get(name);
                    return value == null ? withEmpty : set.contains(value);
                };
                yield op.equals("in") ? in : in.negate();
            }
            case "like", "ilike", "not like", "not ilike", "=like", "=ilike" -> like(op, String.valueOf(right), name);
            case "=?" -> isEmpty(field, right) ? row -> true : eq(field, field.domainValue(version, right), name);
            default -> throw RpcFault.valueError(version, "Invalid leaf " + PyRepr.repr(new PyRepr.Tuple(new ArrayList<>(leaf))));
        };
    }

    /** On a many2many or one2many: {@code = False} is "no record linked", {@code in} "one of these linked". */
    private static Predicate<Map<String, Object>> toManyLeaf(String op, Object right, String name, VersionProfile version,
                                                          List<?> leaf) {
        boolean negated = op.equals("!=") || op.equals("not in");
        if (!List.of("=", "!=", "in", "not in").contains(op)) {
            throw RpcFault.valueError(version, "Invalid leaf " + PyRepr.repr(new PyRepr.Tuple(new ArrayList<>(leaf))));
        }
        Predicate<Map<String, Object>> match;
        if (right == null || Boolean.FALSE.equals(right)) {
            match = row -> OrmModel.listOfIds(row.get(name)).isEmpty();
        } else {
            List<Object> wanted = new ArrayList<>();
            for (Object v : right instanceof List<?> l ? l : List.of(right)) {
                wanted.add(v instanceof Number n ? n.intValue() : v);
            }
            match = row -> OrmModel.listOfIds(row.get(name)).stream().anyMatch(wanted::contains);
        }
        return negated ? match.negate() : match;
    }

    private static boolean isEmpty(FieldDef field, Object right) {
        return right == null || Boolean.FALSE.equals(right) && field.type() != FieldType.BOOLEAN;
    }

    /** A boolean's False matches empty too (Odoo writes "IS NULL OR = false"). */
    private static boolean empty(FieldDef field, Object value) {
        return value == null || field.type() == FieldType.BOOLEAN && Boolean.FALSE.equals(value);
    }

    private static Predicate<Map<String, Object>> eq(FieldDef field, Object wanted, String name) {
        if (field.type() == FieldType.BOOLEAN && Boolean.FALSE.equals(wanted)) {
            return row -> empty(field, row.get(name));
        }
        return row -> Objects.equals(row.get(name), wanted);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Predicate<Map<String, Object>> compare(String op, Object wanted, String name, VersionProfile version,
                                                          List<?> leaf) {
        if (wanted == null) {
            return row -> false;
        }
        if (!(wanted instanceof Comparable)) {
            throw RpcFault.valueError(version, "Invalid leaf " + PyRepr.repr(new PyRepr.Tuple(new ArrayList<>(leaf))));
        }
        return row -> {
            Object value = row.get(name);
            if (value == null || value.getClass() != wanted.getClass()) {
                return false;
            }
            int c = ((Comparable) value).compareTo(wanted);
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    private static Predicate<Map<String, Object>> like(String op, String pattern, String name) {
        boolean insensitive = op.contains("ilike");
        boolean exact = op.startsWith("=");
        String needle = insensitive ? pattern.toLowerCase(Locale.ROOT) : pattern;
        Predicate<Map<String, Object>> match = row -> {
            Object value = row.get(name);
            if (value == null) {
                return false;
            }
            String text = insensitive ? value.toString().toLowerCase(Locale.ROOT) : value.toString();
            if (exact) {
                return text.matches(java.util.regex.Pattern.quote(needle).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q"));
            }
            return text.contains(needle);
        };
        return op.startsWith("not") ? match.negate() : match;
    }
}
