package io.mailwatchdog.odoo;

import java.util.Set;

/**
 * Odoo commits a method's work before it marshals the result, so a method that returns None does its
 * work and then fails with Fault 1 "cannot marshal None" (ODOO-NOTES.md §3.1). That fault means
 * "done, verify by re-reading" — but only for the methods known to return None, and only when the
 * traceback's last line is exactly that error.
 */
public final class MarshalNoneRule {

    static final String LAST_LINE = "TypeError: cannot marshal None unless allow_none is enabled";
    private static final Set<String> METHODS = Set.of("send", "process_email_queue", "action_retry");

    private MarshalNoneRule() {
    }

    public static boolean meansDone(String method, OdooFault fault) {
        return fault.code() == 1 && METHODS.contains(method) && LAST_LINE.equals(fault.lastLine());
    }
}
