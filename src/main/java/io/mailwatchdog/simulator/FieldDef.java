package io.mailwatchdog.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One field of a simulated model, and how its values cross the wire as Odoo marshals them: an empty
 * value is {@code False} (an empty integer is 0), datetimes are UTC strings, a many2one is
 * {@code [id, display name]} (ODOO-NOTES.md §2), a many2many or one2many the list of ids, a binary
 * its base64 text. Rows hold Java values: Integer, String, Boolean, Instant, List of Integer (x2many),
 * byte[] (binary), or null for empty.
 */
record FieldDef(String name, FieldType type, String string, String relation, List<String> selection) {

    static FieldDef of(String name, FieldType type, String string) {
        return new FieldDef(name, type, string, null, List.of());
    }

    static FieldDef many2one(String name, String relation, String string) {
        return new FieldDef(name, FieldType.MANY2ONE, string, relation, List.of());
    }

    static FieldDef many2many(String name, String relation, String string) {
        return new FieldDef(name, FieldType.MANY2MANY, string, relation, List.of());
    }

    static FieldDef selection(String name, String string, List<String> values) {
        return new FieldDef(name, FieldType.SELECTION, string, null, List.copyOf(values));
    }

    /** What {@code read} answers for a stored value. */
    Object toWire(Object stored, DisplayNames names) {
        return switch (type) {
            case INTEGER, MANY2ONE_REFERENCE -> stored == null ? 0 : stored;
            case BOOLEAN -> stored == null ? Boolean.FALSE : stored;
            case DATETIME -> stored == null ? Boolean.FALSE : OdooDatetimes.format((Instant) stored);
            case MANY2ONE -> stored == null ? Boolean.FALSE : List.of(stored, names.of(relation, (Integer) stored));
            case MANY2MANY, ONE2MANY -> stored == null ? new ArrayList<>() : new ArrayList<>((List<?>) stored);
            case BINARY -> stored == null ? Boolean.FALSE : Base64.getEncoder().encodeToString((byte[]) stored);
            default -> stored == null ? Boolean.FALSE : stored;
        };
    }

    /**
     * A value sent by a client for {@code create}/{@code write}, as Odoo's field would convert it.
     * x2many commands need the related model: {@link X2ManyCommands} applies them instead.
     */
    Object fromWire(VersionProfile version, String model, Object wire) {
        if (wire == null || Boolean.FALSE.equals(wire) && type != FieldType.BOOLEAN) {
            return type == FieldType.INTEGER || type == FieldType.MANY2ONE_REFERENCE ? 0 : null;
        }
        return switch (type) {
            case INTEGER, MANY2ONE_REFERENCE -> integer(version, wire);
            case BOOLEAN -> truthy(wire);
            case DATETIME -> {
                if (!(wire instanceof String s)) {
                    throw RpcFault.typeError(version, "expected string or bytes-like object, got '"
                            + OrmModel.pythonType(wire) + "'");
                }
                yield OdooDatetimes.stored(OdooDatetimes.parse(version, s));
            }
            case MANY2ONE -> wire instanceof List<?> pair && !pair.isEmpty() ? integer(version, pair.get(0))
                    : integer(version, wire);
            case BINARY -> PyBase64.decode(version, String.valueOf(wire));
            case MANY2MANY, ONE2MANY -> throw new IllegalStateException(name + ": x2many values go through X2ManyCommands");
            case SELECTION -> {
                String value = String.valueOf(wire);
                if (!selection.isEmpty() && !selection.contains(value)) {
                    throw RpcFault.valueError(version, "Wrong value for " + model + "." + name + ": '" + value + "'");
                }
                yield value;
            }
            default -> String.valueOf(wire);
        };
    }

    /** The right-hand side of a domain leaf on this field, in the rows' Java types. */
    Object domainValue(VersionProfile version, Object wire) {
        if (Boolean.FALSE.equals(wire) && type != FieldType.BOOLEAN) {
            return null;
        }
        return switch (type) {
            case DATETIME -> wire instanceof String s ? OdooDatetimes.parse(version, s) : wire;
            case BOOLEAN -> wire == null ? null : truthy(wire);
            case INTEGER, MANY2ONE, MANY2ONE_REFERENCE -> wire instanceof Number n ? (Object) n.intValue() : wire;
            default -> wire;
        };
    }

    private static boolean truthy(Object wire) {
        if (wire instanceof Boolean b) {
            return b;
        }
        if (wire instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return wire instanceof String s ? !s.isEmpty() : wire != null;
    }

    private static Integer integer(VersionProfile version, Object wire) {
        if (wire instanceof Number n) {
            return n.intValue();
        }
        if (wire instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return Integer.parseInt(String.valueOf(wire).strip());
        } catch (NumberFormatException e) {
            throw RpcFault.valueError(version, "invalid literal for int() with base 10: '" + wire + "'");
        }
    }

    /** How a many2one finds the name of the record it points to. */
    interface DisplayNames {
        String of(String model, int id);
    }
}
