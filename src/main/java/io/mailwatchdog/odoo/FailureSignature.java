package io.mailwatchdog.odoo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@code mail.mail.failure_reason} into a grouping key, so that a thousand mails refused for the
 * same reason make one group.
 *
 * <p>Taken out: email addresses ({@code <addr>}), the SMTP host of send_email's message ({@code <host>}),
 * and every other token holding a digit ({@code #}: ids, sizes, queue ids, IP addresses, source lines).
 * Kept, because they decide the class: SMTP reply codes in reply context ({@code (550, b'} of smtplib's
 * tuples, a leading {@code 535} line of a connect-time exception), the leading errno line ({@code 111}),
 * {@code [Errno N]}, and RFC 3463 enhanced codes ({@code 5.1.1}). Line breaks are kept too, so the key
 * classifies like the reason it came from.
 */
public final class FailureSignature {

    private static final int MAX_LENGTH = 500;

    /** Leading line that is only an integer: errno or SMTP code of exception_to_unicode's "\n"-joined args. */
    private static final Pattern FIRST_LINE_NUMBER = Pattern.compile("\\A-?\\d{1,4}(?=\\n)");
    private static final Pattern TUPLE_CODE = Pattern.compile("(?<=\\()\\d{3}(?=,\\s*b['\"])");
    private static final Pattern DIGIT_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]*\\d[A-Za-z0-9_-]*");
    /** Placeholders hold no digit, so DIGIT_TOKEN cannot eat what is being kept. */
    private static final char OPEN = '\u0001';
    private static final char CLOSE = '\u0002';
    private static final Pattern PLACEHOLDER = Pattern.compile(OPEN + "([A-Z]+)" + CLOSE);

    private FailureSignature() {
    }

    /** @return the grouping key; "" for null or blank */
    public static String normalize(String failureReason) {
        if (failureReason == null || failureReason.isBlank()) {
            return "";
        }
        String s = SmtpText.head(failureReason).replace("\r\n", "\n").strip();
        s = SmtpText.withoutAddresses(s);

        List<String> kept = new ArrayList<>();
        s = protect(s, FIRST_LINE_NUMBER, kept);
        s = protect(s, TUPLE_CODE, kept);
        s = protect(s, SmtpText.ERRNO_BRACKET_TOKEN, kept);
        s = protect(s, SmtpText.ENHANCED, kept);
        s = DIGIT_TOKEN.matcher(s).replaceAll("#");
        s = restore(s, kept);

        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String l = line.replaceAll("[ \\t\\x0B\\f]+", " ").strip();
            if (!l.isEmpty()) {
                out.append(out.length() == 0 ? "" : "\n").append(l);
            }
        }
        return out.length() <= MAX_LENGTH ? out.toString() : out.substring(0, MAX_LENGTH);
    }

    private static String protect(String s, Pattern p, List<String> kept) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            kept.add(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(OPEN + label(kept.size() - 1) + CLOSE));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String restore(String s, List<String> kept) {
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(kept.get(index(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** 0 → A, 25 → Z, 26 → BA: base 26 in letters. */
    private static String label(int i) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.insert(0, (char) ('A' + i % 26));
            i /= 26;
        } while (i > 0);
        return sb.toString();
    }

    private static int index(String label) {
        int i = 0;
        for (char c : label.toCharArray()) {
            i = i * 26 + (c - 'A');
        }
        return i;
    }
}
