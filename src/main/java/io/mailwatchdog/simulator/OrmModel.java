package io.mailwatchdog.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One simulated model: its rows in memory and the ORM methods every Odoo model answers
 * ({@code search_read}, {@code search}, {@code search_count}, {@code read}, {@code write},
 * {@code create}, {@code unlink}, {@code fields_get}, {@code read_group}, and {@code formatted_read_group}
 * from 19.0). Subclasses add the model's own methods and rules. Every row access holds the database
 * lock; the lock is the simulator's "transaction", one call at a time per database.
 */
class OrmModel {

    /** A method as {@code call_kw} sees it: positional args, keyword args (context popped), the context. */
    interface Method {
        Object call(List<Object> args, Map<String, Object> kwargs, Map<String, Object> context);
    }

    /** A record method's body: the ids of {@code args[0]} and the remaining arguments bound by name. */
    interface RecordBody {
        Object call(List<Integer> ids, Map<String, Object> bound, Map<String, Object> context);
    }

    interface ModelBody {
        Object call(Map<String, Object> bound, Map<String, Object> context);
    }

    final SimulatedDatabase db;
    final ModelSchema schema;
    final VersionProfile version;
    private final TreeMap<Integer, Map<String, Object>> rows = new TreeMap<>();
    private final Map<String, Method> methods = new HashMap<>();
    private int nextId;

    OrmModel(SimulatedDatabase db, ModelSchema schema, int firstId) {
        this.db = db;
        this.schema = schema;
        this.version = db.profile();
        this.nextId = firstId;
        registerOrmMethods();
    }

    final Object call(String method, List<Object> args, Map<String, Object> kwargs) {
        Map<String, Object> context = kwargs.get("context") instanceof Map<?, ?> c ? castMap(c) : Map.of();
        Map<String, Object> kw = new LinkedHashMap<>(kwargs);
        kw.remove("context");
        if (method.startsWith("_")) {
            throw RpcFault.accessError(version.privateMethodText(schema.name, method));
        }
        Method m = methods.get(method);
        if (m == null) {
            throw RpcFault.python(version, "AttributeError", version.unknownMethodText(schema.name, method));
        }
        return m.call(args, kw, context);
    }

    final boolean answers(String method) {
        return methods.containsKey(method);
    }

    // ---- registration -------------------------------------------------------------------------

    final void modelMethod(String name, PySignature signature, ModelBody body) {
        methods.put(name, (args, kw, ctx) -> body.call(signature.bind(version, args, kw), ctx));
    }

    final void recordMethod(String name, PySignature signature, RecordBody body) {
        methods.put(name, (args, kw, ctx) -> {
            if (args.isEmpty()) {
                throw RpcFault.python(version, "IndexError", "list index out of range");
            }
            List<Integer> ids = ids(args.get(0));
            return body.call(ids, signature.bind(version, args.subList(1, args.size()), kw), ctx);
        });
    }

    final void removeMethod(String name) {
        methods.remove(name);
    }

    private void registerOrmMethods() {
        modelMethod("search_read", PySignature.of("BaseModel.search_read", "domain", "fields", "offset", "limit", "order", "load"),
                (a, ctx) -> {
                    synchronized (db.lock) {
                        List<Map<String, Object>> found = search(list(a.get("domain")), ctx, intOr(a.get("offset"), 0),
                                limitOf(a.get("limit")), str(a.get("order")));
                        return readRows(found, fieldNames(a.get("fields")));
                    }
                });
        modelMethod("search", version.major <= 16
                        ? PySignature.of("BaseModel.search", "domain", "offset", "limit", "order", "count")
                        : PySignature.of("BaseModel.search", "domain", "offset", "limit", "order"),
                (a, ctx) -> {
                    synchronized (db.lock) {
                        List<Map<String, Object>> found = search(list(a.get("domain")), ctx, intOr(a.get("offset"), 0),
                                limitOf(a.get("limit")), str(a.get("order")));
                        if (Boolean.TRUE.equals(a.get("count"))) {
                            return found.size();
                        }
                        List<Object> ids = new ArrayList<>();
                        found.forEach(r -> ids.add(r.get("id")));
                        return ids;
                    }
                });
        modelMethod("search_count", PySignature.of("BaseModel.search_count", "domain", "limit"), (a, ctx) -> {
            synchronized (db.lock) {
                return search(list(a.get("domain")), ctx, 0, limitOf(a.get("limit")), null).size();
            }
        });
        recordMethod("read", PySignature.of("BaseModel.read", "fields", "load"), (ids, a, ctx) -> {
            synchronized (db.lock) {
                List<Map<String, Object>> found = new ArrayList<>();
                for (Integer id : ids) {
                    Map<String, Object> row = rows.get(id);
                    if (row != null) {
                        found.add(row); // a deleted record is left out, not an error (models.py _read_format)
                    }
                }
                return readRows(found, fieldNames(a.get("fields")));
            }
        });
        recordMethod("write", new PySignature("BaseModel.write", 1, "vals"), (ids, a, ctx) -> {
            if (!(a.get("vals") instanceof Map<?, ?> vals)) {
                throw RpcFault.python(version, "AttributeError", "'" + pythonType(a.get("vals")) + "' object has no attribute 'items'");
            }
            write(ids, castMap(vals));
            return Boolean.TRUE;
        });
        modelMethod("create", new PySignature("BaseModel.create", 1, "vals_list"), (a, ctx) -> {
            Object valsList = a.get("vals_list");
            if (valsList instanceof Map<?, ?> one) {
                return create(List.of(castMap(one))).get(0);
            }
            List<Map<String, Object>> many = new ArrayList<>();
            for (Object v : list(valsList)) {
                if (!(v instanceof Map<?, ?> m)) {
                    throw RpcFault.python(version, "AttributeError", "'" + pythonType(v) + "' object has no attribute 'items'");
                }
                many.add(castMap(m));
            }
            return new ArrayList<Object>(create(many));
        });
        recordMethod("unlink", PySignature.of("BaseModel.unlink"), (ids, a, ctx) -> {
            unlink(ids);
            return Boolean.TRUE;
        });
        modelMethod("fields_get", PySignature.of("BaseModel.fields_get", "allfields", "attributes"),
                (a, ctx) -> FieldsCatalog.fieldsGet(schema, version, collection(a.get("allfields")),
                        collection(a.get("attributes"))));
        modelMethod("read_group", new PySignature("BaseModel.read_group", 3, "domain", "fields", "groupby", "offset",
                "limit", "orderby", "lazy"), (a, ctx) -> readGroup(a, ctx));
        if (version.hasFormattedReadGroup()) {
            modelMethod("formatted_read_group", PySignature.of("BaseModel.formatted_read_group", "domain", "groupby",
                    "aggregates", "having", "offset", "limit", "order"), (a, ctx) -> formattedReadGroup(a, ctx));
        }
    }

    // ---- the ORM, for subclasses and the database's Java API (callers hold db.lock) --------------

    /** The rows a search finds, with Odoo's implicit {@code active = True} on models that have it. */
    List<Map<String, Object>> search(List<?> domain, Map<String, Object> context, int offset, Integer limit, String order) {
        List<?> effective = domain;
        if (schema.hasActive() && !Domain.mentions(domain, "active") && !Boolean.FALSE.equals(context.get("active_test"))) {
            effective = Domain.and(List.of(domain, List.of(List.of("active", "=", true))));
        }
        Predicate<Map<String, Object>> match = Domain.compile(effective, schema, version);
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> row : rows.values()) {
            if (match.test(row)) {
                found.add(row);
            }
        }
        found.sort(RowOrder.parse(order, schema, version));
        int from = Math.min(Math.max(offset, 0), found.size());
        int to = limit == null ? found.size() : Math.min(found.size(), from + limit);
        return new ArrayList<>(found.subList(from, to));
    }

    List<Map<String, Object>> readRows(List<Map<String, Object>> found, List<String> fields) {
        List<String> names = fields == null || fields.isEmpty() ? new ArrayList<>(schema.fields().keySet()) : fields;
        for (String f : names) {
            if (!schema.has(f)) {
                throw RpcFault.invalidField(version, schema.name, f);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : found) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("id", row.get("id"));
            for (String f : names) {
                values.put(f, "display_name".equals(f) ? displayName(row) : wireValue(row, schema.field(f)));
            }
            out.add(values);
        }
        return out;
    }

    /** A field's value as {@code read} answers it; models override it for the fields they compute. */
    Object wireValue(Map<String, Object> row, FieldDef field) {
        return field.toWire(row.get(field.name()), db::displayName);
    }

    /** Java values (already converted) straight into a new row: seeding, and create after conversion. */
    int insert(Map<String, Object> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String f : schema.fields().keySet()) {
            row.put(f, null);
        }
        row.putAll(values);
        int id = values.get("id") instanceof Integer given ? given : nextId;
        nextId = Math.max(nextId, id + 1);
        row.put("id", id);
        Instant now = OdooDatetimes.stored(db.clock().instant());
        if (row.get("create_date") == null) {
            row.put("create_date", now);
        }
        if (row.get("write_date") == null) {
            row.put("write_date", row.get("create_date"));
        }
        rows.put(id, row);
        return id;
    }

    Map<String, Object> row(int id) {
        return rows.get(id);
    }

    Collection<Map<String, Object>> allRows() {
        return rows.values();
    }

    void delete(int id) {
        rows.remove(id);
    }

    /** Values a client sent, checked and converted field by field (unknown field = ValueError). */
    Map<String, Object> convert(Map<String, Object> vals) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : vals.entrySet()) {
            FieldDef field = schema.field(e.getKey());
            if (field == null) {
                throw RpcFault.invalidField(version, schema.name, e.getKey());
            }
            if (List.of("id", "display_name", "create_date", "write_date").contains(field.name())) {
                continue; // the ORM's own columns: silently ignored, as Odoo does
            }
            out.put(field.name(), field.type().toMany()
                    ? X2ManyCommands.parse(version, field, e.getValue(), db.model(field.relation()), this)
                    : field.fromWire(version, schema.name, e.getValue()));
        }
        return out;
    }

    /** Converted values applied to a row: x2many commands act on the row's own list. */
    private static Map<String, Object> appliedTo(Map<String, Object> row, Map<String, Object> changes) {
        Map<String, Object> after = new LinkedHashMap<>(row);
        changes.forEach((f, v) -> after.put(f, v instanceof X2ManyCommands commands ? commands.applyTo(listOfIds(row.get(f))) : v));
        return after;
    }

    @SuppressWarnings("unchecked")
    static List<Integer> listOfIds(Object stored) {
        return stored == null ? List.of() : (List<Integer>) stored;
    }

    /** The fault for linking ids of the relation that do not exist: a MissingError on them, as 19.0 says. */
    RpcFault missingLinks(FieldDef field, List<Integer> ids) {
        return RpcFault.missingRecords(field.relation(), ids, db.uid());
    }

    /** Defaults of a new record (Java values), before the client's values. */
    Map<String, Object> defaults() {
        return new LinkedHashMap<>();
    }

    /** A hook to refuse a new or changed row (e.g. a unique constraint); called with db.lock held. */
    void check(Map<String, Object> row, Integer id) {
    }

    List<Integer> create(List<Map<String, Object>> valsList) {
        synchronized (db.lock) {
            List<Map<String, Object>> prepared = new ArrayList<>();
            for (Map<String, Object> vals : valsList) {
                Map<String, Object> row = appliedTo(defaults(), convert(vals));
                derive(row);
                check(row, null);
                prepared.add(row);
            }
            List<Integer> ids = new ArrayList<>();
            for (Map<String, Object> row : prepared) {
                ids.add(insert(row));
                afterCreate(ids.get(ids.size() - 1));
            }
            return ids;
        }
    }

    void afterCreate(int id) {
    }

    /** A hook to fill the fields a new or changed row's values determine (an attachment's size); db.lock held. */
    void derive(Map<String, Object> row) {
    }

    void write(List<Integer> ids, Map<String, Object> vals) {
        synchronized (db.lock) {
            Map<String, Object> changes = convert(vals);
            Map<Integer, Map<String, Object>> after = new LinkedHashMap<>();
            for (Integer id : ids) {
                Map<String, Object> row = rows.get(id);
                if (row != null) {
                    Map<String, Object> changed = appliedTo(row, changes);
                    derive(changed);
                    check(changed, id);
                    after.put(id, changed);
                }
            }
            // A deleted id is skipped: its UPDATE touches no row and Odoo 16.0–19.0 do not count them.
            Instant now = OdooDatetimes.stored(db.clock().instant());
            after.forEach((id, changed) -> {
                changed.put("write_date", now);
                rows.get(id).putAll(changed);
            });
        }
    }

    void unlink(List<Integer> ids) {
        synchronized (db.lock) {
            for (Integer id : ids) {
                rows.remove(id);
            }
        }
    }

    String displayName(Map<String, Object> row) {
        Object value = schema.recName == null ? null : row.get(schema.recName);
        return value == null ? schema.name + "," + row.get("id") : value.toString();
    }

    private Object readGroup(Map<String, Object> a, Map<String, Object> ctx) {
        List<?> domain = list(a.get("domain"));
        List<ReadGroups.Spec> specs = specs(a.get("groupby"));
        boolean lazy = a.containsKey("lazy") ? Boolean.TRUE.equals(a.get("lazy")) : true;
        if (specs.isEmpty()) {
            throw RpcFault.valueError(version, "read_group() needs a groupby (the simulator groups by fields only)");
        }
        List<ReadGroups.Spec> used = lazy ? specs.subList(0, 1) : specs;
        synchronized (db.lock) {
            List<ReadGroups.Group> groups = ReadGroups.group(search(domain, ctx, 0, null, null), used);
            List<Object> out = new ArrayList<>();
            for (ReadGroups.Group g : window(groups, a)) {
                Map<String, Object> row = ReadGroups.readGroupRow(g, used, domain, lazy, version, db::displayName);
                if (lazy && specs.size() > 1) {
                    row.put("__context", Map.of("group_by", new ArrayList<>(groupByNames(specs.subList(1, specs.size())))));
                }
                out.add(row);
            }
            return out;
        }
    }

    private Object formattedReadGroup(Map<String, Object> a, Map<String, Object> ctx) {
        List<?> domain = list(a.get("domain"));
        List<ReadGroups.Spec> specs = specs(a.get("groupby"));
        List<String> aggregates = new ArrayList<>();
        list(a.get("aggregates")).forEach(x -> aggregates.add(String.valueOf(x)));
        synchronized (db.lock) {
            List<ReadGroups.Group> groups = ReadGroups.group(search(domain, ctx, 0, null, null), specs);
            List<Object> out = new ArrayList<>();
            for (ReadGroups.Group g : window(groups, a)) {
                out.add(ReadGroups.formattedRow(g, specs, aggregates, version, db::displayName));
            }
            return out;
        }
    }

    private List<ReadGroups.Group> window(List<ReadGroups.Group> groups, Map<String, Object> a) {
        int from = Math.min(intOr(a.get("offset"), 0), groups.size());
        Integer limit = limitOf(a.get("limit"));
        int to = limit == null ? groups.size() : Math.min(groups.size(), from + limit);
        return groups.subList(from, to);
    }

    private List<ReadGroups.Spec> specs(Object groupby) {
        List<ReadGroups.Spec> specs = new ArrayList<>();
        List<?> entries = groupby instanceof String s ? List.of(s) : list(groupby);
        for (Object g : entries) {
            specs.add(ReadGroups.Spec.parse(String.valueOf(g), schema, version));
        }
        return specs;
    }

    private static List<String> groupByNames(List<ReadGroups.Spec> specs) {
        List<String> out = new ArrayList<>();
        specs.forEach(s -> out.add(s.key()));
        return out;
    }

    // ---- argument helpers ---------------------------------------------------------------------

    List<Integer> ids(Object arg) {
        List<Integer> ids = new ArrayList<>();
        if (arg instanceof Number n) {
            ids.add(n.intValue());
        } else if (arg instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Number n)) {
                    throw RpcFault.typeError(version, "'" + pythonType(o) + "' object cannot be interpreted as an integer");
                }
                ids.add(n.intValue());
            }
        } else if (arg != null && !Boolean.FALSE.equals(arg)) {
            throw RpcFault.typeError(version, "'" + pythonType(arg) + "' object cannot be interpreted as an integer");
        }
        return ids;
    }

    static List<?> list(Object o) {
        if (o == null || Boolean.FALSE.equals(o)) {
            return List.of();
        }
        return o instanceof List<?> l ? l : List.of(o);
    }

    private static Collection<?> collection(Object o) {
        return o == null || Boolean.FALSE.equals(o) ? null : list(o);
    }

    static List<String> fieldNames(Object o) {
        if (o == null || Boolean.FALSE.equals(o)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        list(o).forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    static int intOr(Object o, int otherwise) {
        return o instanceof Number n ? n.intValue() : otherwise;
    }

    /** {@code limit}: None or False (or 0 in some clients) mean no limit. */
    static Integer limitOf(Object o) {
        return o instanceof Number n && n.intValue() > 0 ? n.intValue() : null;
    }

    static String str(Object o) {
        return o instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static String pythonType(Object o) {
        if (o == null) {
            return "NoneType";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof Integer) {
            return "int";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof List) {
            return "list";
        }
        if (o instanceof Map) {
            return "dict";
        }
        return o.getClass().getSimpleName();
    }
}
