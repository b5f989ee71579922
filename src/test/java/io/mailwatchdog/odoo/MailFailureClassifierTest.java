package io.mailwatchdog.odoo;

import static io.mailwatchdog.odoo.MailFailureClassifier.classify;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.odoo.OdooFixtures.MailFailure;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailFailureClassifierTest {

    /** What _send writes before the SMTP attempt (addons/mail/models/mail_mail.py). */
    static final String PRE_MARK =
            "Error without exception. Probably due to sending an email without computed recipients.";

    /** send_email's wrapper, as exception_to_unicode(MailDeliveryException) writes it (ir_mail_server.py). */
    static String sendTime(String host, String exception) {
        return "Mail Delivery Failed\nMail delivery failed via SMTP server '" + host + "'.\n" + exception;
    }

    @Nested
    class RealOdooStrings {

        @ParameterizedTest
        @ValueSource(strings = {"read_mail_mail_after_queue.response.xml", "v16/read_mail_mail_after_queue.response.xml",
                "v17/read_mail_mail_after_queue.response.xml", "v19/read_mail_mail_after_queue.response.xml"})
        void connectionRefusedOnConnectIsTransportOnEveryVersion(String fixture) {
            List<MailFailure> failures = OdooFixtures.mailFailures(fixture);
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.failureType()).isNull();
                assertThat(f.failureReason()).isEqualTo("111\nConnection refused");
                assertThat(classify(f.failureType(), f.failureReason())).isEqualTo(FailureClass.TRANSPORT);
            });
        }

        @Test
        void recipientRefused550With511IsRecipient() {
            MailFailure f = OdooFixtures.mailFailures("read_mail_mail_rcpt_550.response.xml").get(0);
            assertThat(f.failureType()).isEqualTo("unknown");
            assertThat(f.failureReason()).contains("(550, b'5.1.1 Mailbox unavailable')");
            assertThat(classify(f.failureType(), f.failureReason())).isEqualTo(FailureClass.RECIPIENT);
        }

        @Test
        void exceptionListHoldsRateLimitRecipientAndTransport() {
            List<MailFailure> failures = OdooFixtures.mailFailures("search_read_mail_mail_exception.response.xml");
            assertThat(failures).hasSize(3);
            assertThat(failures).map(f -> classify(f.failureType(), f.failureReason()))
                    .containsExactly(FailureClass.RATE_LIMIT, FailureClass.RECIPIENT, FailureClass.TRANSPORT);
            assertThat(failures.get(0).failureReason()).contains("(421, b'4.3.2 Service not available')");
        }
    }

    @Nested
    class FailureTypes {

        @ParameterizedTest
        @ValueSource(strings = {"mail_email_invalid", "mail_email_missing", "mail_bl", "mail_optout", "mail_dup",
                "mail_spam"})
        void odooRecipientExclusionsAreRecipientWhateverTheReason(String type) {
            assertThat(classify(type, "421\nb'4.7.0 Try again later'")).isEqualTo(FailureClass.RECIPIENT);
            assertThat(classify(type, null)).isEqualTo(FailureClass.RECIPIENT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"mail_from_invalid", "mail_from_missing"})
        void odooSenderChecksAreSender(String type) {
            assertThat(classify(type, "Malformed 'Return-Path' or 'From' address: bad-from")).isEqualTo(FailureClass.SENDER);
        }

        @Test
        void unknownFailureTypeValuesAreReadLikeUnknown() {
            assertThat(classify("mail_some_future_type", "111\nConnection refused")).isEqualTo(FailureClass.TRANSPORT);
            assertThat(classify("mail_smtp", "111\nConnection refused")).isEqualTo(FailureClass.TRANSPORT);
            assertThat(classify("mail_some_future_type", null)).isEqualTo(FailureClass.UNKNOWN);
        }

        @Test
        void noTypeAndNoReasonIsUnknown() {
            assertThat(classify(null, null)).isEqualTo(FailureClass.UNKNOWN);
            assertThat(classify(null, "  ")).isEqualTo(FailureClass.UNKNOWN);
        }
    }

    @Nested
    class ConnectTime {

        @Test
        void loginRefused535IsAuth() {
            String gmail = "535\nb'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  "
                    + "https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f1e5a1b2c3sm1234567b3a.12 - gsmtp'";
            assertThat(classify(null, gmail)).isEqualTo(FailureClass.AUTH);
            assertThat(classify(null, "535\nb'5.7.3 Authentication unsuccessful'")).isEqualTo(FailureClass.AUTH);
        }

        @Test
        void webLoginRequired534AndAuthRequired530AreAuth() {
            assertThat(classify(null, "534\nb'5.7.14 Please log in with your web browser'")).isEqualTo(FailureClass.AUTH);
            assertThat(classify(null, "530\nb'5.7.0 Must issue a STARTTLS command first'")).isEqualTo(FailureClass.AUTH);
        }

        @Test
        void serverWithoutAuthExtensionIsAuth() {
            assertThat(classify(null, "SMTP AUTH extension not supported by server.")).isEqualTo(FailureClass.AUTH);
            assertThat(classify(null, "No suitable authentication method found.")).isEqualTo(FailureClass.AUTH);
        }

        @Test
        void certificateVerifyFailedIsTlsEvenThoughItsFirstLineLooksLikeAnErrno() {
            // ssl.SSLCertVerificationError.args == (1, '[SSL: CERTIFICATE_VERIFY_FAILED] ...')
            assertThat(classify(null, "1\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                    + "self-signed certificate (_ssl.c:1006)")).isEqualTo(FailureClass.TLS);
            assertThat(classify(null, "1\n[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"))
                    .isEqualTo(FailureClass.TLS);
        }

        @Test
        void missingStartTlsIsTls() {
            assertThat(classify(null, "STARTTLS extension not supported by server.")).isEqualTo(FailureClass.TLS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-2\nName or service not known", "-3\nTemporary failure in name resolution",
                "110\nConnection timed out", "113\nNo route to host", "101\nNetwork is unreachable",
                "timed out", "Connection unexpectedly closed", "Connection unexpectedly closed: timed out",
                "[Errno 111] Connection refused"})
        void dnsTimeoutsAndClosedConnectionsAreTransport(String reason) {
            assertThat(classify(null, reason)).isEqualTo(FailureClass.TRANSPORT);
        }

        @Test
        void cutOffBytesLiteralStillClassifies() {
            assertThat(classify(null, "535\nb'5.7.8 Username and Password not acc")).isEqualTo(FailureClass.AUTH);
            assertThat(SmtpText.replies("421\nb'4.7.0 Try again lat")).singleElement()
                    .satisfies(r -> assertThat(r.text()).isEqualTo("4.7.0 Try again lat"));
        }

        @Test
        void greetingRefusedWith421IsRateLimit() {
            assertThat(classify(null, "421\nb'4.7.0 Too many connections from your host, try again later'"))
                    .isEqualTo(FailureClass.RATE_LIMIT);
        }
    }

    @Nested
    class SendTime {

        @Test
        void senderRefused553IsSender() {
            assertThat(classify("unknown", sendTime("smtp.example.com", "SMTPSenderRefused: (553, b'5.7.1 "
                    + "<odoo@example.com>: Sender address rejected: not owned by user bot@example.com', 'odoo@example.com')")))
                    .isEqualTo(FailureClass.SENDER);
        }

        @Test
        void temporarySenderRefusalIsRateLimitNotSender() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPSenderRefused: (451, b'4.7.1 Try again later', 'odoo@example.com')")))
                    .isEqualTo(FailureClass.RATE_LIMIT);
        }

        @Test
        void mailboxFull552With522IsMailbox() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPRecipientsRefused: {'full@example.org': (552, b'5.2.2 Mailbox full, quota exceeded')}")))
                    .isEqualTo(FailureClass.MAILBOX);
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPRecipientsRefused: {'full@example.org': (452, b'4.2.2 Over quota')}")))
                    .isEqualTo(FailureClass.MAILBOX);
        }

        @Test
        void dailyQuotaIsRateLimit() {
            assertThat(classify("unknown", sendTime("smtp.gmail.com",
                    "SMTPDataError: (550, b'5.4.5 Daily user sending quota exceeded. d2e1a72fcca58-6f1e5a1b2c3sm12 - gsmtp')")))
                    .isEqualTo(FailureClass.RATE_LIMIT);
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPDataError: (451, b'4.7.1 Rate limit exceeded, try again later')")))
                    .isEqualTo(FailureClass.RATE_LIMIT);
        }

        @Test
        void spamRejection554IsContent() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPDataError: (554, b'5.7.1 Message rejected as spam by Content Filtering.')")))
                    .isEqualTo(FailureClass.CONTENT);
        }

        @Test
        void messageTooBig552With534IsContent() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPDataError: (552, b'5.3.4 Message size exceeds fixed maximum message size')")))
                    .isEqualTo(FailureClass.CONTENT);
        }

        @Test
        void otherPermanentDataErrorIsContent() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPDataError: (550, b'5.6.0 Lone CR or LF in headers')")))
                    .isEqualTo(FailureClass.CONTENT);
        }

        @Test
        void relayDeniedForARecipientIsUnknown() {
            assertThat(classify("unknown", sendTime("smtp.example.com",
                    "SMTPRecipientsRefused: {'x@example.org': (550, b'5.7.1 Relaying denied')}")))
                    .isEqualTo(FailureClass.UNKNOWN);
        }
    }

    @Nested
    class NoFalseEvidence {

        @Test
        void digitsInAnAddressAreNotAnErrnoOrACode() {
            assertThat(classify("unknown", sendTime("None",
                    "SMTPRecipientsRefused: {'user111@421.example.org': (550, b'5.1.1 User unknown')}")))
                    .isEqualTo(FailureClass.RECIPIENT);
        }

        @Test
        void wordsContainingRateAreNotRateLimit() {
            assertThat(classify("unknown", sendTime("smtp.example.com", "SMTPRecipientsRefused: {'x@example.org': "
                    + "(550, b'5.7.26 Unauthenticated email generated from a separate domain is not accepted')}")))
                    .isEqualTo(FailureClass.UNKNOWN);
        }

        @Test
        void aHostNamedRateIsNotRateLimit() {
            assertThat(classify("unknown", sendTime("rate.example.com",
                    "SMTPRecipientsRefused: {'x@example.org': (550, b'5.1.1 User unknown')}")))
                    .isEqualTo(FailureClass.RECIPIENT);
        }

        @Test
        void anIpAddressIsNotAnEnhancedCode() {
            assertThat(classify("unknown", sendTime("4.2.2.1",
                    "SMTPRecipientsRefused: {'x@example.org': (550, b'5.1.1 User unknown')}")))
                    .isEqualTo(FailureClass.RECIPIENT);
        }
    }

    @Test
    void preMarkReasonIsUnknown() {
        assertThat(classify(null, PRE_MARK)).isEqualTo(FailureClass.UNKNOWN);
        assertThat(classify("unknown", PRE_MARK)).isEqualTo(FailureClass.UNKNOWN);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(classify("unknown", sendTime("smtp.example.com", "UnicodeEncodeError: 'ascii' codec can't encode")))
                .isEqualTo(FailureClass.UNKNOWN);
    }
}
