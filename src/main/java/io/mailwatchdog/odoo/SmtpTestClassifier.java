package io.mailwatchdog.odoo;

import io.mailwatchdog.odoo.SmtpText.Reply;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Fault 2 ({@code UserError}) raised by {@code ir.mail_server.test_smtp_connection}
 * (ODOO-NOTES.md §7; odoo/addons/base/models/ir_mail_server.py, 16.0–19.0).
 *
 * <p>The messages are Odoo's English source strings: they are translated into the RPC user's language,
 * so the watchdog user must use English (anything unrecognised is FAIL/UNKNOWN with the raw text).
 * 16.0 differs in three places: the generic case prints the exception's args one per line
 * ({@code 111\nConnection refused}), "Server replied" prints only the reply text without its code, and
 * "closed unexpectedly" / "option not supported" print {@code e.strerror}, which smtplib leaves None.
 */
public final class SmtpTestClassifier {

    /** 16.0 writes "Invalid server name !" with a space. */
    private static final Pattern INVALID_NAME = Pattern.compile("^Invalid server name ?!");
    private static final Pattern CERT_CONFIG = Pattern.compile(
            "^(The private key or the certificate is not a valid file|Could not load your certificate / private key"
                    + "|SSL (private key|certificate) is missing)");
    /** The test's own MAIL FROM / RCPT TO / DATA checks: "... with error b'<reply text without code>'". */
    private static final Pattern WITH_ERROR = Pattern.compile("with error (.*)\\z", Pattern.DOTALL);
    private static final Pattern SENDER_ADDRESS = Pattern.compile("sender address \\((.*?)\\) with error");
    private static final Pattern TLS_TEXT =
            Pattern.compile("\\[SSL|certificate verify failed|CertificateError", Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTH_TEXT = Pattern.compile(
            "authenticat|username and password|credentials", Pattern.CASE_INSENSITIVE);
    private static final Set<Integer> AUTH_CODES = Set.of(530, 534, 535);
    /** Enhanced codes of a refused login, for 16.0 where the reply code is not printed. */
    private static final Set<String> AUTH_ENHANCED = Set.of("5.7.8", "5.7.9", "5.7.14");

    private SmtpTestClassifier() {
    }

    /** @param faultString the faultString of Fault 2 (or the JSON-2 "message"), as Odoo sent it */
    public static SmtpTestVerdict classifyFault(String faultString) {
        if (faultString == null || faultString.isBlank()) {
            return SmtpTestVerdict.fail(FailureClass.UNKNOWN, "server test failed without a message");
        }
        String s = SmtpText.head(faultString).replace("\r\n", "\n").strip();
        int nl = s.indexOf('\n');
        String body = nl < 0 ? "" : s.substring(nl + 1).strip();

        if (s.startsWith("Please configure an email on the current user")) {
            // _get_test_email_from: no from_filter on the server and no email on the RPC user.
            return SmtpTestVerdict.inconclusive(FailureClass.UNKNOWN,
                    "Odoo could not test the server: the watchdog's Odoo user has no email address;"
                            + " give the watchdog user an email address (or set a from_filter on the server)");
        }
        if (s.startsWith("Connection Test Failed!")) {
            return generic(body);
        }
        if (s.startsWith("No response received")) {
            return SmtpTestVerdict.fail(FailureClass.TRANSPORT,
                    "no response from the server (DNS failure or timeout): " + body);
        }
        if (INVALID_NAME.matcher(s).find()) {
            return SmtpTestVerdict.fail(FailureClass.TRANSPORT, "invalid server name: " + body);
        }
        if (s.startsWith("The server has closed the connection unexpectedly")) {
            return SmtpTestVerdict.fail(FailureClass.TRANSPORT,
                    "server closed the connection unexpectedly (SSL on a STARTTLS port or the reverse?)"
                            + suffix(body));
        }
        if (s.startsWith("Server replied with following exception")) {
            return serverReplied(body);
        }
        if (s.startsWith("An option is not supported by the server")) {
            return optionNotSupported(body);
        }
        if (s.startsWith("An SMTP exception occurred")) {
            return AUTH_TEXT.matcher(body).find()
                    ? SmtpTestVerdict.fail(FailureClass.AUTH, "SMTP login impossible: " + body)
                    : SmtpTestVerdict.fail(FailureClass.TRANSPORT,
                            "SMTP protocol error (check port and connection security): " + body);
        }
        if (s.startsWith("An SSL exception occurred")) {
            return SmtpTestVerdict.fail(FailureClass.TLS, "TLS error (check connection security): " + body);
        }
        if (CERT_CONFIG.matcher(s).find()) {
            return SmtpTestVerdict.fail(FailureClass.TLS, "client certificate problem: " + s);
        }
        if (s.startsWith("The server refused the sender address")) {
            return senderRefused(s);
        }
        if (s.startsWith("The server refused the test recipient")) {
            return recipientRefused(s);
        }
        if (s.startsWith("The server refused the test connection")) {
            String repl = repl(s);
            return isTemporary(SmtpText.enhanced(repl))
                    ? SmtpTestVerdict.fail(FailureClass.RATE_LIMIT, "server temporarily refused DATA: " + repl)
                    : SmtpTestVerdict.fail(FailureClass.UNKNOWN, "server refused DATA: " + repl);
        }
        return SmtpTestVerdict.fail(FailureClass.UNKNOWN, "server test failed: " + s);
    }

    /** Odoo's catch-all: 17.0+ prints str(e) ("[Errno 111] Connection refused"), 16.0 the args one per line. */
    private static SmtpTestVerdict generic(String body) {
        if (TLS_TEXT.matcher(body).find()) {
            // 16.0 catches only pyOpenSSL's SSLError, so ssl.SSLError ends up here.
            return SmtpTestVerdict.fail(FailureClass.TLS, "TLS error: " + body);
        }
        Matcher bracket = SmtpText.ERRNO_BRACKET.matcher(body);
        if (bracket.find()) {
            return transport(bracket.group(1), bracket.group(2));
        }
        Integer first = SmtpText.firstLineInteger(body);
        if (first != null && SmtpText.isErrno(first)) {
            return transport(first.toString(), body.substring(body.indexOf('\n') + 1));
        }
        return SmtpTestVerdict.fail(FailureClass.UNKNOWN, "server test failed: " + body);
    }

    private static SmtpTestVerdict transport(String errno, String message) {
        return SmtpTestVerdict.fail(FailureClass.TRANSPORT,
                SmtpText.lowerFirst(SmtpText.oneLine(message)) + " (errno " + errno + ")");
    }

    /** SMTPResponseException: login refused (SMTPAuthenticationError), greeting refused (SMTPConnectError)... */
    private static SmtpTestVerdict serverReplied(String body) {
        List<Reply> replies = SmtpText.replies(body);
        Integer code = replies.isEmpty() ? null : replies.get(0).code();
        String text = replies.isEmpty() ? body : replies.get(0).text();
        String enhanced = SmtpText.enhanced(text);
        String reply = SmtpText.oneLine(code == null ? text : code + " " + text);
        boolean auth = code == null
                ? AUTH_TEXT.matcher(text).find() || AUTH_ENHANCED.contains(enhanced)
                : AUTH_CODES.contains(code);
        if (auth) {
            return SmtpTestVerdict.fail(FailureClass.AUTH, "SMTP login refused: " + reply);
        }
        boolean temporary = code == null ? isTemporary(enhanced) : code == 421 || code / 10 == 45;
        if (temporary) {
            return SmtpTestVerdict.fail(FailureClass.RATE_LIMIT, "server temporarily refused: " + reply);
        }
        return SmtpTestVerdict.fail(FailureClass.UNKNOWN, "SMTP server replied: " + reply);
    }

    /** SMTPNotSupportedError from starttls() or login(); 16.0 prints e.strerror, i.e. "None". */
    private static SmtpTestVerdict optionNotSupported(String body) {
        if (body.contains("STARTTLS")) {
            return SmtpTestVerdict.fail(FailureClass.TLS, "server does not offer STARTTLS: " + body);
        }
        if (body.contains("AUTH")) {
            return SmtpTestVerdict.fail(FailureClass.AUTH, "server does not offer SMTP AUTH: " + body);
        }
        return SmtpTestVerdict.fail(FailureClass.UNKNOWN,
                "server lacks an SMTP extension Odoo needs (STARTTLS or AUTH; Odoo 16 does not say which)");
    }

    private static SmtpTestVerdict senderRefused(String s) {
        Matcher m = SENDER_ADDRESS.matcher(s);
        String from = m.find() ? m.group(1) : "?";
        String repl = repl(s);
        String enhanced = SmtpText.enhanced(repl);
        if (isTemporary(enhanced)) {
            return SmtpTestVerdict.fail(FailureClass.RATE_LIMIT,
                    "server temporarily refused the sender " + from + ": " + repl);
        }
        if ("5.7.0".equals(enhanced)) {
            return SmtpTestVerdict.fail(FailureClass.AUTH,
                    "server wants authentication before accepting the sender " + from + ": " + repl);
        }
        return SmtpTestVerdict.fail(FailureClass.SENDER, "server refused the sender " + from + ": " + repl);
    }

    /** Odoo tests RCPT TO with a fixed address, noreply@odoo.com (_get_test_email_to). */
    private static SmtpTestVerdict recipientRefused(String s) {
        String repl = repl(s);
        String enhanced = SmtpText.enhanced(repl);
        if (isTemporary(enhanced)) {
            return SmtpTestVerdict.fail(FailureClass.RATE_LIMIT,
                    "server temporarily refused the test recipient: " + repl);
        }
        if (enhanced != null && enhanced.startsWith("5.7.")) {
            return SmtpTestVerdict.fail(FailureClass.AUTH,
                    "server refuses to relay for Odoo (login or relay permission missing?): " + repl);
        }
        if (enhanced != null && enhanced.startsWith("5.1.")) {
            // The server knows no noreply@odoo.com: it cannot pass this test, which says nothing about it.
            return SmtpTestVerdict.inconclusive(FailureClass.RECIPIENT,
                    "server refused Odoo's fixed test recipient noreply@odoo.com (" + repl
                            + "); the test cannot pass on this server, so it says nothing about it");
        }
        return SmtpTestVerdict.fail(FailureClass.UNKNOWN, "server refused the test recipient: " + repl);
    }

    /** The reply text after "with error", decoded from its bytes repr (b'5.1.1 Mailbox unavailable'). */
    private static String repl(String s) {
        Matcher m = WITH_ERROR.matcher(s);
        return SmtpText.oneLine(SmtpText.bytesOrText(m.find() ? m.group(1).strip() : s));
    }

    private static boolean isTemporary(String enhanced) {
        return enhanced != null && enhanced.startsWith("4.");
    }

    private static String suffix(String body) {
        return body.isEmpty() || body.equals("None") ? "" : ": " + body;
    }
}
