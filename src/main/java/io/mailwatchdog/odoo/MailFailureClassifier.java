package io.mailwatchdog.odoo;

import io.mailwatchdog.odoo.SmtpText.Reply;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a failed {@code mail.mail} from its {@code failure_type} and {@code failure_reason}
 * (ODOO-NOTES.md §4 "Classification"; first matching rule wins).
 *
 * <p>Where the text comes from (addons/mail/models/mail_mail.py {@code send}/{@code _send},
 * odoo/addons/base/models/ir_mail_server.py {@code send_email}, Odoo 16.0–19.0):
 * <ul>
 *   <li>connect-time: {@code exception_to_unicode(exc)}, the exception's args joined by "\n"
 *       ({@code 111\nConnection refused}, {@code 535\nb'5.7.8 ...'}); {@code failure_type} stays False;</li>
 *   <li>send-time: {@code Mail Delivery Failed\nMail delivery failed via SMTP server '<host>'.\n<Class>: <str(e)>},
 *       {@code failure_type='unknown'}; Odoo treats 4xx and 5xx alike, so the code decides here.</li>
 * </ul>
 */
public final class MailFailureClassifier {

    /** Odoo's own exclusions and address checks: never worth a retry. mail_spam is 19.0+. */
    private static final Set<String> RECIPIENT_TYPES =
            Set.of("mail_email_invalid", "mail_email_missing", "mail_bl", "mail_optout", "mail_dup", "mail_spam");
    /** 17.0+: Odoo found no usable From for the server's from_filter. */
    private static final Set<String> SENDER_TYPES = Set.of("mail_from_invalid", "mail_from_missing");

    /** Written by _send before the SMTP attempt; left alone it means "interrupted or no recipients". */
    static final String PRE_MARK_REASON =
            "Error without exception. Probably due to sending an email without computed recipients.";

    private static final Pattern SENDER_REFUSED_5XX = Pattern.compile("SMTPSenderRefused: \\(5\\d\\d,");
    private static final Pattern DATA_ERROR_5XX = Pattern.compile("SMTPDataError: \\(5\\d\\d,");
    private static final Pattern TLS = Pattern.compile(
            "\\[SSL|certificate verify failed|STARTTLS extension not supported", Pattern.CASE_INSENSITIVE);
    private static final Set<Integer> AUTH_CODES = Set.of(530, 534, 535);
    /** "No suitable authentication method found." is smtplib's SMTPException from login(). */
    private static final Pattern AUTH_TEXT = Pattern.compile(
            "Username and Password not accepted|SMTP AUTH extension not supported|No suitable authentication method found",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TRANSPORT_TEXT =
            Pattern.compile("timed out|Connection unexpectedly closed", Pattern.CASE_INSENSITIVE);
    private static final Set<Integer> RATE_CODES = Set.of(421, 450, 451, 452, 454);
    /** Whole words only: "generated", "separate", "accurate" must not count as "rate". */
    private static final Pattern RATE_TEXT =
            Pattern.compile("\\brate\\b|\\bratelimit|\\bquota", Pattern.CASE_INSENSITIVE);
    private static final Pattern SPAM_OR_POLICY =
            Pattern.compile("spam|policy|content|virus|malware|phish|blocked|blacklist|reputation",
                    Pattern.CASE_INSENSITIVE);

    private MailFailureClassifier() {
    }

    /**
     * @param failureType   {@code mail.mail.failure_type}, or null when Odoo sent False; unknown values count as "unknown"
     * @param failureReason {@code mail.mail.failure_reason}, or null when Odoo sent False
     */
    public static FailureClass classify(String failureType, String fullReason) {
        String failureReason = SmtpText.head(fullReason);
        String type = failureType == null ? "" : failureType.strip();
        if (RECIPIENT_TYPES.contains(type)) {
            return FailureClass.RECIPIENT;
        }
        if (SENDER_TYPES.contains(type)) {
            return FailureClass.SENDER;
        }
        if (failureReason == null || failureReason.isBlank()
                || failureReason.strip().equals(PRE_MARK_REASON)) {
            return FailureClass.UNKNOWN;
        }
        // Addresses and the host go first: "rcpt550@x" or "smtp.rate.example" must not look like evidence.
        String text = SmtpText.withoutAddresses(failureReason.replace("\r\n", "\n").strip());
        List<Reply> replies = SmtpText.replies(text);
        Integer firstLine = SmtpText.firstLineInteger(text);

        if (SENDER_REFUSED_5XX.matcher(text).find()) {
            return FailureClass.SENDER;
        }
        if (TLS.matcher(text).find()) {
            return FailureClass.TLS;
        }
        if ((firstLine != null && AUTH_CODES.contains(firstLine)) || AUTH_TEXT.matcher(text).find()) {
            return FailureClass.AUTH;
        }
        if ((firstLine != null && SmtpText.isErrno(firstLine))
                || SmtpText.ERRNO_BRACKET.matcher(text).find()
                || TRANSPORT_TEXT.matcher(text).find()) {
            return FailureClass.TRANSPORT;
        }
        if (replies.stream().anyMatch(r -> (r.code() == 552 && r.enhancedStartsWith("5.2.2"))
                || (r.code() == 452 && r.enhancedStartsWith("4.2.2")))) {
            return FailureClass.MAILBOX;
        }
        if (replies.stream().anyMatch(r -> RATE_CODES.contains(r.code()))
                || hasTemporaryEnhanced(text) || RATE_TEXT.matcher(text).find()) {
            return FailureClass.RATE_LIMIT;
        }
        if (replies.stream().anyMatch(r -> (r.code() == 550 || r.code() == 551 || r.code() == 553)
                && r.enhancedStartsWith("5.1."))) {
            return FailureClass.RECIPIENT;
        }
        if (replies.stream().anyMatch(MailFailureClassifier::isContentReply)
                || DATA_ERROR_5XX.matcher(text).find()) {
            return FailureClass.CONTENT;
        }
        return FailureClass.UNKNOWN;
    }

    private static boolean hasTemporaryEnhanced(String text) {
        Matcher m = SmtpText.ENHANCED.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("4")) {
                return true;
            }
        }
        return false;
    }

    /** 554 refused for policy/spam reasons, or 552 5.3.4 message too big. */
    private static boolean isContentReply(Reply r) {
        if (r.code() == 552 && r.enhancedStartsWith("5.3.4")) {
            return true;
        }
        return r.code() == 554 && (r.enhancedStartsWith("5.7.") || r.enhancedStartsWith("5.6.")
                || SPAM_OR_POLICY.matcher(r.text()).find());
    }
}
