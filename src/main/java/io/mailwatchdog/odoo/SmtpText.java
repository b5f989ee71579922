package io.mailwatchdog.odoo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading SMTP evidence out of the Python text Odoo stores or raises.
 *
 * <p>Odoo writes exceptions as {@code "\n".join(map(str, e.args))} (odoo/loglevels.py
 * {@code exception_to_unicode}) and smtplib keeps replies as {@code (code, b'text')}, so a reply shows up
 * either as a tuple {@code (550, b'5.1.1 ...')} or, for a connect-time exception, as a first line
 * {@code 535} followed by {@code b'5.7.8 ...'}.
 */
final class SmtpText {

    /** One SMTP reply found in the text. {@code enhanced} is the RFC 3463 code (5.1.1) or null. */
    record Reply(int code, String text, String enhanced) {
        boolean enhancedStartsWith(String prefix) {
            return enhanced != null && enhanced.startsWith(prefix);
        }
    }

    /** smtplib reply tuple: (code, b'...') or (code, b"..."), possibly followed by more items. */
    private static final Pattern TUPLE =
            Pattern.compile("\\((\\d{3}),\\s*b(['\"])((?:\\\\.|(?!\\2)[^\\\\])*)\\2");
    /** RFC 3463 enhanced status code, not part of a longer dotted number (IP address, version). */
    static final Pattern ENHANCED =
            Pattern.compile("(?<!\\d)(?<!\\d\\.)([245])\\.(\\d{1,3})\\.(\\d{1,3})(?!\\.?\\d)");
    /** Python's OSError text: [Errno 111] Connection refused. */
    static final Pattern ERRNO_BRACKET = Pattern.compile("\\[Errno (-?\\d+)\\]\\s*([^\\n]*)");
    /** Just the "[Errno 111]" token, for signatures. */
    static final Pattern ERRNO_BRACKET_TOKEN = Pattern.compile("\\[Errno -?\\d+\\]");
    /** An email address as Odoo prints it (dict keys, sender of SMTPSenderRefused, message ids). */
    // Starts only at a token boundary: otherwise a long token without '@' is rescanned from every offset.
    private static final Pattern ADDRESS = Pattern.compile(
            "(?<![^\\s'\"<>(){}\\[\\],;:@])[^\\s'\"<>(){}\\[\\],;:@]+@[^\\s'\"<>(){}\\[\\],;:]+");
    /** The host in send_email's "Mail delivery failed via SMTP server '%s'." (ir_mail_server.py). */
    static final Pattern SERVER_HOST = Pattern.compile("(via SMTP server ')([^'\\n]*)(')");

    private static final int DETAIL_MAX = 240;
    /**
     * How much of a failure text is read. The evidence (codes, exception class) is in the first lines;
     * a failure_reason can be arbitrarily long (a dict of thousands of refused recipients).
     */
    static final int READ_MAX = 4096;

    private SmtpText() {
    }

    /** The head of a failure text that classification and signatures look at. */
    static String head(String text) {
        return text == null || text.length() <= READ_MAX ? text : text.substring(0, READ_MAX);
    }

    /** Every SMTP reply in the text: the tuples, and a leading 3-digit code line (connect-time form). */
    static List<Reply> replies(String text) {
        List<Reply> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Integer first = firstLineInteger(text);
        if (first != null && isSmtpCode(first)) {
            String rest = text.substring(text.indexOf('\n') + 1).strip();
            out.add(reply(first, bytesOrText(rest)));
        }
        Matcher m = TUPLE.matcher(text);
        while (m.find()) {
            out.add(reply(Integer.parseInt(m.group(1)), decodeBytesLiteral(m.group(3))));
        }
        return out;
    }

    /** b'text' or b"text" decoded; a cut-off literal keeps what it has; anything else as it is. */
    static String bytesOrText(String s) {
        if (s.length() < 2 || s.charAt(0) != 'b' || (s.charAt(1) != '\'' && s.charAt(1) != '"')) {
            return s;
        }
        boolean closed = s.length() >= 3 && s.charAt(s.length() - 1) == s.charAt(1);
        return decodeBytesLiteral(s.substring(2, closed ? s.length() - 1 : s.length()));
    }

    private static Reply reply(int code, String text) {
        Matcher e = ENHANCED.matcher(text);
        return new Reply(code, text, e.find() ? e.group() : null);
    }

    /**
     * The first line as an integer when it is exactly one (e.g. {@code 111} of {@code 111\nConnection refused},
     * {@code 535} of {@code 535\nb'...'}), else null. Only a line that is a whole number counts, so a
     * {@code b'...'} literal or an address with digits never does.
     */
    static Integer firstLineInteger(String text) {
        int nl = text.indexOf('\n');
        if (nl < 0) {
            return null;
        }
        String first = text.substring(0, nl).strip();
        if (!first.matches("-?\\d{1,4}")) {
            return null;
        }
        return Integer.parseInt(first);
    }

    static boolean isSmtpCode(int n) {
        return n >= 200 && n <= 599;
    }

    /** errno values (Linux errno, negative getaddrinfo EAI_* codes) are far below SMTP's 2xx-5xx. */
    static boolean isErrno(int n) {
        return n != 0 && n > -200 && n < 200;
    }

    /** Decodes the inside of a Python bytes repr: \\n, \\t, \\r, \\\\, \\', \\", \\xNN (as Latin-1). */
    static String decodeBytesLiteral(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char n = body.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'x' -> {
                    if (i + 2 < body.length() && body.substring(i + 1, i + 3).matches("[0-9a-fA-F]{2}")) {
                        sb.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        sb.append("\\x");
                    }
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    /** The text with addresses and the SMTP host taken out, so that they cannot match a keyword or code. */
    static String withoutAddresses(String text) {
        String s = SERVER_HOST.matcher(text).replaceAll("$1<host>$3");
        return ADDRESS.matcher(s).replaceAll("<addr>");
    }

    /** First RFC 3463 code in the text, or null. */
    static String enhanced(String text) {
        Matcher m = ENHANCED.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** Whitespace (newlines included) collapsed to single spaces, trimmed, capped for logs and reports. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String s = io.mailwatchdog.text.Texts.oneLine(text);
        return s.length() <= DETAIL_MAX ? s : s.substring(0, DETAIL_MAX - 1) + "…";
    }

    /** "Connection refused" → "connection refused" (keeps "SMTP", "STARTTLS"). */
    static String lowerFirst(String s) {
        if (s.length() >= 2 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
