package io.mailwatchdog.odoo;

import static io.mailwatchdog.odoo.FailureSignature.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureSignatureTest {

    private static String rcpt(String host, String address, String reply) {
        return MailFailureClassifierTest.sendTime(host, "SMTPRecipientsRefused: {'" + address + "': " + reply + "}");
    }

    @Test
    void reasonsDifferingOnlyInAddressHostAndNumbersShareASignature() {
        String a = rcpt("smtp1.example.com", "rcpt550@watchdog.test", "(550, b'5.1.1 Mailbox unavailable, id 8F3A21C9')");
        String b = rcpt("10.0.0.7", "someone.else@example.org", "(550, b'5.1.1 Mailbox unavailable, id 77D0E1AB')");
        assertThat(normalize(a)).isEqualTo(normalize(b)).isEqualTo(
                "Mail Delivery Failed\nMail delivery failed via SMTP server '<host>'.\n"
                        + "SMTPRecipientsRefused: {'<addr>': (550, b'5.1.1 Mailbox unavailable, id #')}");
    }

    @Test
    void gmailSessionIdsDoNotSplitAGroup() {
        String a = "535\nb'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  "
                + "https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12 - gsmtp'";
        String b = a.replace("d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12", "98e67ed59e1d1-2f5a9c3b7d1sm99887766a.45");
        assertThat(normalize(a)).isEqualTo(normalize(b)).startsWith("535\nb'5.7.8 Username").contains("\\n5.7.8 https");
    }

    @Test
    void replyCodesAndEnhancedCodesAreKept() {
        String r550 = rcpt("None", "a@x.test", "(550, b'5.1.1 Mailbox unavailable')");
        String r421 = rcpt("None", "a@x.test", "(421, b'4.3.2 Service not available')");
        assertThat(normalize(r550)).contains("(550, b'5.1.1").isNotEqualTo(normalize(r421));
        assertThat(normalize(r421)).contains("(421, b'4.3.2");
        assertThat(normalize("SMTPSenderRefused: (553, b'5.7.1 not owned', 'odoo@example.com')"))
                .isEqualTo("SMTPSenderRefused: (553, b'5.7.1 not owned', '<addr>')");
    }

    @Test
    void leadingErrnoAndErrnoTokensAreKept() {
        assertThat(normalize("111\nConnection refused")).isEqualTo("111\nConnection refused");
        assertThat(normalize("-2\nName or service not known")).isEqualTo("-2\nName or service not known");
        assertThat(normalize("111\nConnection refused")).isNotEqualTo(normalize("110\nConnection timed out"));
        assertThat(normalize("[Errno 113] No route to host to 192.168.1.20")).isEqualTo("[Errno 113] No route to host to #.#.#.#");
    }

    @Test
    void nullAndBlankGiveAnEmptySignature() {
        assertThat(normalize(null)).isEmpty();
        assertThat(normalize("")).isEmpty();
        assertThat(normalize(" \n ")).isEmpty();
    }

    @Test
    void aSignatureClassifiesLikeTheReasonItCameFrom() {
        List<String> reasons = new ArrayList<>();
        for (String f : List.of("search_read_mail_mail_exception.response.xml", "v16/read_mail_mail_after_queue.response.xml")) {
            OdooFixtures.mailFailures(f).forEach(m -> reasons.add(m.failureReason()));
        }
        reasons.addAll(List.of(
                "535\nb'5.7.8 Username and Password not accepted'",
                "1\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)",
                "-3\nTemporary failure in name resolution",
                MailFailureClassifierTest.sendTime("smtp.example.com",
                        "SMTPSenderRefused: (553, b'5.7.1 Sender rejected', 'odoo2@example.com')"),
                rcpt("smtp.example.com", "full@example.org", "(552, b'5.2.2 Mailbox full')"),
                MailFailureClassifierTest.sendTime("smtp.example.com", "SMTPDataError: (554, b'5.7.1 Rejected as spam')"),
                MailFailureClassifierTest.sendTime("smtp.example.com", "SMTPDataError: (552, b'5.3.4 Message too big')"),
                MailFailureClassifierTest.PRE_MARK));
        assertThat(reasons).hasSizeGreaterThan(10).allSatisfy(r -> assertThat(
                MailFailureClassifier.classify("unknown", normalize(r)))
                .as(r).isEqualTo(MailFailureClassifier.classify("unknown", r)));
    }
}
