package io.mailwatchdog.simulator;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ir.config_parameter}: {@code get_param}/{@code set_param}, and the rules a client meets when
 * it writes parameters: the {@code key_uniq} constraint, required key and value, protected default
 * parameters, and the MissingError of unlinking a deleted one (ir_config_parameter.py, service/model.py
 * {@code _as_validation_error}; the same text in 16.0–19.0).
 */
final class IrConfigParameterModel extends OrmModel {

    static final String KEY_NOT_UNIQUE = "The operation cannot be completed: Key must be unique.";
    /** _default_parameters: created with the database, never deletable. */
    static final Set<String> DEFAULTS = Set.of("database.secret", "database.uuid", "database.create_date",
            "web.base.url", "base.login_cooldown_after", "base.login_cooldown_duration");

    IrConfigParameterModel(SimulatedDatabase db) {
        super(db, Schemas.irConfigParameter(), 1);
        modelMethod("get_param", new PySignature("IrConfigParameter.get_param", 1, "key", "default"), (a, ctx) -> {
            synchronized (db.lock) {
                String value = db.configParameter(String.valueOf(a.get("key")));
                return value != null ? value : a.getOrDefault("default", Boolean.FALSE);
            }
        });
        modelMethod("set_param", new PySignature("IrConfigParameter.set_param", 2, "key", "value"), (a, ctx) -> {
            String key = String.valueOf(a.get("key"));
            Object value = a.get("value");
            synchronized (db.lock) {
                Map<String, Object> row = find(key);
                Object old = row == null ? Boolean.FALSE : row.get("value");
                boolean erase = value == null || Boolean.FALSE.equals(value);
                if (row != null) {
                    if (erase) {
                        unlink(List.of((Integer) row.get("id")));
                    } else {
                        write(List.of((Integer) row.get("id")), Map.of("value", String.valueOf(value)));
                    }
                } else if (!erase) {
                    create(List.of(Map.of("key", key, "value", String.valueOf(value))));
                }
                return old;
            }
        });
    }

    Map<String, Object> find(String key) {
        for (Map<String, Object> row : allRows()) {
            if (key.equals(row.get("key"))) {
                return row;
            }
        }
        return null;
    }

    @Override
    void check(Map<String, Object> row, Integer id) {
        for (String field : List.of("key", "value")) {
            if (row.get(field) == null) {
                throw RpcFault.userError(notNull(field));
            }
        }
        Map<String, Object> same = find(String.valueOf(row.get("key")));
        if (same != null && !same.get("id").equals(id)) {
            throw RpcFault.userError(KEY_NOT_UNIQUE);
        }
        if (id != null) {
            Object before = row(id).get("key");
            if (!before.equals(row.get("key")) && DEFAULTS.contains(before)) {
                throw RpcFault.userError("You cannot rename config parameters with keys " + before);
            }
        }
    }

    /** The NotNullViolation text of _as_validation_error (16.0–18.0) or _sql_error_to_message (19.0). */
    private String notNull(String field) {
        String label = schema.field(field).string();
        if (version.major >= 19) {
            return "The operation cannot be completed: Missing required value for the field '" + label + "' (" + field
                    + ").\nModel: '" + schema.description + "' (" + schema.name + ")\n- create/update: a mandatory field"
                    + " is not set\n- delete: another model requires the record being deleted, you can archive it instead\n";
        }
        return "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another"
                + " model requires the record being deleted. If possible, archive it instead.\n\nModel: "
                + schema.description + " (" + schema.name + ")\nField: " + label + " (" + field + ")\n";
    }

    /** The ondelete check reads each key first: a deleted id is a MissingError, a default key is refused. */
    @Override
    void unlink(List<Integer> ids) {
        synchronized (db.lock) {
            for (Integer id : ids) {
                if (row(id) == null) {
                    throw RpcFault.missingRecord(schema.name, id, db.uid());
                }
            }
            for (Integer id : ids) {
                Object key = row(id).get("key");
                if (DEFAULTS.contains(key)) {
                    throw RpcFault.userError("You cannot delete the " + key + " record.");
                }
            }
            super.unlink(ids);
        }
    }
}
