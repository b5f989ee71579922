package io.mailwatchdog.simulator;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what Jakarta Mail throws into the Python exception smtplib would have raised in Odoo, so that
 * the failure texts read like Odoo's (ODOO-NOTES.md §4, §7).
 */
final class SmtpErrors {

    private static final Pattern REPLY = Pattern.compile("(\\d{3})[ -](.*)");

    private SmtpErrors() {
    }

    /** An exception from opening the session: connect, greeting, STARTTLS, login. */
    static PyError ofSession(Exception e) {
        if (e instanceof AuthenticationFailedException auth) {
            String reply = auth.getMessage() == null ? "" : auth.getMessage();
            return PyError.response("SMTPAuthenticationError", code(reply, 535), text(reply));
        }
        if (find(e, UnknownHostException.class) != null) {
            return new PyError(PyError.Kind.DNS, "gaierror", List.of(-2, "Name or service not known"));
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return PyError.of(PyError.Kind.TIMEOUT, "TimeoutError", "timed out");
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return PyError.os("OSError", 113, "No route to host");
        }
        if (find(e, ConnectException.class) != null) {
            return PyError.os("ConnectionRefusedError", 111, "Connection refused");
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return PyError.of(PyError.Kind.SSL, "SSLError", "[SSL] " + tls.getMessage());
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("STARTTLS")) {
            return PyError.of(PyError.Kind.NOT_SUPPORTED, "SMTPNotSupportedError", "STARTTLS extension not supported by server.");
        }
        int response = message.indexOf("response: ");
        if (response >= 0) {
            String reply = message.substring(response + "response: ".length());
            return PyError.response("SMTPConnectError", code(reply, 421), text(reply));
        }
        if (isDisconnect(e)) {
            return disconnected();
        }
        return PyError.of(PyError.Kind.OTHER, "Exception", message.strip());
    }

    static PyError disconnected() {
        return PyError.of(PyError.Kind.DISCONNECTED, "SMTPServerDisconnected", "Connection unexpectedly closed");
    }

    static PyError authNotSupported() {
        return PyError.of(PyError.Kind.NOT_SUPPORTED, "SMTPNotSupportedError", "SMTP AUTH extension not supported by server.");
    }

    static boolean isDisconnect(Throwable e) {
        return find(e, EOFException.class) != null || find(e, SocketException.class) != null
                || String.valueOf(e.getMessage()).contains("[EOF]");
    }

    /** The reply code of a server response such as {@code "550 5.1.1 Mailbox unavailable\n"}. */
    static int code(String response, int otherwise) {
        Matcher m = REPLY.matcher(response.strip());
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : otherwise;
    }

    /** smtplib's reply text: each line without its code, stripped, joined by LF. */
    static String text(String response) {
        List<String> lines = new ArrayList<>();
        for (String line : response.strip().split("\\r?\\n")) {
            Matcher m = REPLY.matcher(line);
            lines.add((m.matches() ? m.group(2) : line).strip());
        }
        return String.join("\n", lines);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = next(c)) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable next(Throwable c) {
        Throwable n = c instanceof MessagingException me && me.getNextException() != null ? me.getNextException() : c.getCause();
        return n == c ? null : n;
    }
}
