package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A fault as Odoo's {@code /xmlrpc/2} answers it (odoo/addons/base/controllers/rpc.py
 * {@code xmlrpc_handle_exception_int}): 1 any Python exception with its traceback, 2 a UserError
 * (also ValidationError, MissingError) with its bare message, 3 AccessDenied, 4 AccessError.
 */
final class RpcFault extends RuntimeException {

    static final String LOCKED_CRON = "Record cannot be modified right now: This cron task is currently being executed"
            + " and may not be modified Please try again in a few minutes";
    static final String MARSHAL_NONE = "TypeError: cannot marshal None unless allow_none is enabled";

    final int code;
    final String faultString;

    private RpcFault(int code, String faultString) {
        super(faultString, null, false, false); // control flow, not a bug: no stack trace
        this.code = code;
        this.faultString = faultString;
    }

    static RpcFault userError(String message) {
        return new RpcFault(2, message);
    }

    static RpcFault accessDenied() {
        return new RpcFault(3, "Access Denied");
    }

    static RpcFault accessError(String message) {
        return new RpcFault(4, message);
    }

    /** A Python exception raised inside the called method: the version's traceback, then {@code type: message}. */
    static RpcFault python(VersionProfile version, String type, String message) {
        return new RpcFault(1, Tracebacks.call(version) + type + ": " + message + "\n");
    }

    /** What every method returning None gets, after its work is committed (ODOO-NOTES.md §3.1). */
    static RpcFault marshalNone(VersionProfile version) {
        return new RpcFault(1, Tracebacks.marshalNone(version));
    }

    static RpcFault typeError(VersionProfile version, String message) {
        return python(version, "TypeError", message);
    }

    static RpcFault valueError(VersionProfile version, String message) {
        return python(version, "ValueError", message);
    }

    /** Reading a field of a deleted record (odoo/fields.py {@code __get__}), e.g. in an unlink override. */
    static RpcFault missingRecord(String model, int id, int uid) {
        return missingRecords(model, List.of(id), uid);
    }

    /** The same for several records: Odoo prints the ids as a Python tuple, {@code (7,)} or {@code (7, 8)}. */
    static RpcFault missingRecords(String model, List<Integer> ids, int uid) {
        return userError("Record does not exist or has been deleted.\n(Record: " + model
                + new PyRepr.Tuple(new ArrayList<>(ids)) + ", User: " + uid + ")");
    }

    static RpcFault invalidField(VersionProfile version, String model, String field) {
        return valueError(version, "Invalid field '" + field + "' on model '" + model + "'");
    }
}
