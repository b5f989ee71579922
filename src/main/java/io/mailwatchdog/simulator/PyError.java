package io.mailwatchdog.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Python exception as smtplib or the socket module would raise it, so that Odoo's texts built from
 * it come out as Odoo writes them: {@code str(e)} ({@code [Errno 111] Connection refused},
 * {@code (535, b'5.7.8 …')}) or Odoo's {@code exception_to_unicode(e)} / 16.0's {@code ustr(e)}
 * (the arguments one per line).
 */
record PyError(Kind kind, String className, List<Object> args) {

    /** Which {@code except} branch of Odoo's connection test catches it (ir_mail_server.py). */
    enum Kind {
        OS_ERROR,        // ConnectionRefusedError, OSError: generic branch
        TIMEOUT,         // socket.timeout / TimeoutError: "No response received"
        DNS,             // socket.gaierror: "No response received"
        DISCONNECTED,    // smtplib.SMTPServerDisconnected
        RESPONSE,        // smtplib.SMTPResponseException and subclasses (SMTPAuthenticationError…)
        NOT_SUPPORTED,   // smtplib.SMTPNotSupportedError
        SMTP_OTHER,      // other smtplib.SMTPException
        SSL,             // ssl.SSLError
        OTHER
    }

    static PyError os(String className, int errno, String strerror) {
        return new PyError(Kind.OS_ERROR, className, List.of(errno, strerror));
    }

    static PyError response(String className, int code, String reply) {
        return new PyError(Kind.RESPONSE, className, List.of(code, new PyRepr.Bytes(reply)));
    }

    static PyError of(Kind kind, String className, String message) {
        return new PyError(kind, className, List.of(message));
    }

    /** Python's {@code str(e)}. */
    String str() {
        boolean errnoPair = (kind == Kind.OS_ERROR || kind == Kind.DNS) && args.size() == 2 && args.get(0) instanceof Integer;
        if (errnoPair) {
            return "[Errno " + args.get(0) + "] " + args.get(1);
        }
        if (args.isEmpty()) {
            return "";
        }
        if (args.size() == 1) {
            return plain(args.get(0));
        }
        return new PyRepr.Tuple(new ArrayList<>(args)).toString();
    }

    /** Odoo's {@code exception_to_unicode}: each argument on its own line; 16.0/17.0 decode bytes. */
    String argumentLines(boolean decodeBytes) {
        return args.stream().map(a -> decodeBytes && a instanceof PyRepr.Bytes b ? b.text() : plain(a))
                .collect(Collectors.joining("\n"));
    }

    /** What {@code e.strerror} is: set for OSError(errno, strerror) only, else None. */
    String strerror() {
        return kind == Kind.OS_ERROR && args.size() == 2 ? String.valueOf(args.get(1)) : "None";
    }

    private static String plain(Object arg) {
        return arg instanceof String s ? s : PyRepr.repr(arg);
    }
}
