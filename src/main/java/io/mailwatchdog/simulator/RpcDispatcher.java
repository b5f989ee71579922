package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two XML-RPC services of {@code /xmlrpc/2}: {@code common} ({@code version}, {@code authenticate},
 * {@code login}) and {@code object} ({@code execute_kw}, {@code execute}), as odoo/service/common.py and
 * odoo/service/model.py dispatch them: credentials checked on every object call (Fault 3), then the model.
 */
final class RpcDispatcher {

    private final Function<String, SimulatedDatabase> databases;

    RpcDispatcher(Function<String, SimulatedDatabase> databases) {
        this.databases = databases;
    }

    Object common(VersionProfile serverVersion, String method, List<Object> params) {
        return switch (method) {
            case "version" -> versionStruct(serverVersion);
            case "authenticate", "login" -> {
                requireParams(serverVersion, method, params, 3);
                SimulatedDatabase db = database(serverVersion, params.get(0));
                Integer uid = db.authenticate(String.valueOf(params.get(1)), String.valueOf(params.get(2)));
                yield uid == null ? Boolean.FALSE : uid; // a refused login is False, not a fault
            }
            case "about" -> "See http://openerp.com";
            default -> throw RpcFault.python(serverVersion, "Exception", "Method not found: " + method);
        };
    }

    Object object(VersionProfile serverVersion, String method, List<Object> params) {
        if (!"execute_kw".equals(method) && !"execute".equals(method)) {
            throw RpcFault.python(serverVersion, "NameError", "Method not available " + method);
        }
        requireParams(serverVersion, method, params, 5);
        SimulatedDatabase db = database(serverVersion, params.get(0));
        if (!db.accepts(params.get(1), String.valueOf(params.get(2)))) {
            throw RpcFault.accessDenied();
        }
        String model = String.valueOf(params.get(3));
        String name = String.valueOf(params.get(4));
        List<Object> args;
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if ("execute_kw".equals(method)) {
            args = params.size() > 5 ? asList(params.get(5)) : new ArrayList<>();
            if (params.size() > 6 && params.get(6) instanceof Map<?, ?> kw) {
                kw.forEach((k, v) -> kwargs.put(String.valueOf(k), v));
            }
        } else {
            args = new ArrayList<>(params.subList(5, params.size()));
        }
        Object result = db.execute(model, name, args, kwargs);
        if (result == null) {
            // The method did its work and returned None: Odoo committed, then failed to marshal (§3.1).
            throw RpcFault.marshalNone(db.profile());
        }
        return result;
    }

    static Map<String, Object> versionStruct(VersionProfile v) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("server_version", v.label());
        struct.put("server_version_info", List.of(v.major, 0, 0, "final", 0, ""));
        struct.put("server_serie", v.label());
        struct.put("protocol_version", 1);
        return struct;
    }

    private SimulatedDatabase database(VersionProfile serverVersion, Object name) {
        SimulatedDatabase db = databases.apply(String.valueOf(name));
        if (db == null) {
            // What psycopg2 says when Odoo opens a registry for a database PostgreSQL does not have.
            throw RpcFault.python(serverVersion, "psycopg2.OperationalError",
                    "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \""
                            + name + "\" does not exist");
        }
        return db;
    }

    private static void requireParams(VersionProfile v, String method, List<Object> params, int n) {
        if (params.size() < n) {
            throw RpcFault.typeError(v, method + "() missing " + (n - params.size()) + " required positional argument"
                    + (n - params.size() == 1 ? "" : "s"));
        }
    }

    private static List<Object> asList(Object o) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        List<Object> single = new ArrayList<>();
        if (o != null) {
            single.add(o);
        }
        return single;
    }
}
