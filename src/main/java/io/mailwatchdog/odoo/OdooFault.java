package io.mailwatchdog.odoo;

import java.util.Arrays;
import java.util.List;

/**
 * An XML-RPC fault from {@code /xmlrpc/2}. Odoo's codes: 1 server error (a Python traceback), 2 user
 * error, 3 access denied, 4 access error (odoo/addons/base/controllers/rpc.py). The full fault string
 * is kept for classification; the message is its last meaningful line.
 */
public class OdooFault extends OdooException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String faultString;

    protected OdooFault(int code, String faultString, String context) {
        super(context + ": Odoo fault " + code + ": " + lastLine(faultString));
        this.code = code;
        this.faultString = faultString == null ? "" : faultString;
    }

    /** Builds the typed fault for a code. */
    public static OdooFault of(int code, String faultString, String context) {
        return switch (code) {
            case 1 -> new OdooServerError(faultString, context);
            case 2 -> new OdooUserError(faultString, context);
            case 3 -> new OdooAccessDenied(faultString, context);
            case 4 -> new OdooAccessError(faultString, context);
            default -> new OdooFault(code, faultString, context);
        };
    }

    public int code() {
        return code;
    }

    public String faultString() {
        return faultString;
    }

    /** The last non-empty line: for Fault 1 the {@code ExcType: message} line of the traceback. */
    public String lastLine() {
        return lastLine(faultString);
    }

    static String lastLine(String text) {
        if (text == null) {
            return "";
        }
        List<String> lines = Arrays.asList(text.split("\\R"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                return line;
            }
        }
        return "";
    }

    @Override
    public String kind() {
        return "fault-" + code;
    }

    /** Fault 1: any unexpected Python exception. */
    public static final class OdooServerError extends OdooFault {
        private static final long serialVersionUID = 1L;

        OdooServerError(String faultString, String context) {
            super(1, faultString, context);
        }

        @Override
        public String kind() {
            return "server-error";
        }
    }

    /** Fault 2: UserError, ValidationError, MissingError. The fault string is the bare message. */
    public static final class OdooUserError extends OdooFault {
        private static final long serialVersionUID = 1L;

        OdooUserError(String faultString, String context) {
            super(2, faultString, context);
        }

        @Override
        public String kind() {
            return "user-error";
        }
    }

    /** Fault 3: wrong password, expired or revoked API key, archived user, login cooldown. */
    public static final class OdooAccessDenied extends OdooFault {
        private static final long serialVersionUID = 1L;

        OdooAccessDenied(String faultString, String context) {
            super(3, faultString, context);
        }

        @Override
        public String kind() {
            return "access-denied";
        }
    }

    /** Fault 4: missing access rights, or a private method. */
    public static final class OdooAccessError extends OdooFault {
        private static final long serialVersionUID = 1L;

        OdooAccessError(String faultString, String context) {
            super(4, faultString, context);
        }

        @Override
        public String kind() {
            return "access-error";
        }
    }
}
