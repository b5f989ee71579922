package io.mailwatchdog.odoo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of {@code ir.config_parameter} by key. The key is unique in the database (SQL constraint
 * {@code key_uniq}), so {@link #create} is an atomic "take if free": a second create of the same key
 * is refused with Fault 2 "The operation cannot be completed: Key must be unique."
 */
public final class ConfigParameterStore {

    /** The key exists already: someone else created it first. */
    public static final class KeyTaken extends Exception {
        private static final long serialVersionUID = 1L;

        KeyTaken(String key) {
            super("ir.config_parameter " + key + " exists already");
        }
    }

    private static final List<String> FIELDS = List.of("id", "key", "value", "write_date");

    private final OdooSession session;

    public ConfigParameterStore(OdooSession session) {
        this.session = session;
    }

    public Optional<ConfigParameter> find(String key) throws OdooException {
        Object reply = session.execute("ir.config_parameter", "search_read",
                List.of(List.of(List.of("key", "=", key))), Map.of("fields", FIELDS, "limit", 1));
        List<Map<String, Object>> rows = OdooValues.records(reply, "ir.config_parameter");
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = rows.get(0);
        return Optional.of(new ConfigParameter(OdooValues.count(r.get("id"), "id"), OdooValues.str(r.get("key")),
                OdooValues.str(r.get("value")), OdooValues.datetime(r.get("write_date"), "write_date")));
    }

    /** Creates the row and returns its id, or throws {@link KeyTaken} when the key exists. */
    public int create(String key, String value) throws OdooException, KeyTaken {
        Object reply;
        try {
            reply = session.execute("ir.config_parameter", "create", List.of(Map.of("key", key, "value", value)), Map.of());
        } catch (OdooFault.OdooUserError fault) {
            if (fault.faultString().contains("unique") || fault.faultString().contains("Unique")) {
                throw new KeyTaken(key);
            }
            throw fault;
        }
        if (reply instanceof Object[] ids && ids.length == 1) {
            return OdooValues.count(ids[0], "id");
        }
        return OdooValues.count(reply, "ir.config_parameter create");
    }

    public void write(int id, String value) throws OdooException {
        session.execute("ir.config_parameter", "write", List.of(List.of(id), Map.of("value", value)), Map.of());
    }

    /** Deletes exactly this row; false when it was gone already. */
    public boolean unlink(int id) throws OdooException {
        try {
            session.execute("ir.config_parameter", "unlink", List.of(List.of(id)), Map.of());
            return true;
        } catch (OdooFault.OdooUserError fault) {
            if (fault.faultString().contains("does not exist") || fault.faultString().contains("has been deleted")) {
                return false;
            }
            throw fault;
        }
    }
}
