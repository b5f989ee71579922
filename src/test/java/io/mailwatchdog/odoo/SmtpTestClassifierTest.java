package io.mailwatchdog.odoo;

import static io.mailwatchdog.odoo.SmtpTestClassifier.classifyFault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpTestClassifierTest {

    private static void assertVerdict(SmtpTestVerdict v, SmtpTestOutcome outcome, FailureClass failureClass) {
        assertThat(v.outcome()).isEqualTo(outcome);
        assertThat(v.failureClass()).isEqualTo(failureClass);
        assertThat(v.detail()).isNotBlank().doesNotContain("\n");
    }

    private static void assertFail(String faultString, FailureClass failureClass) {
        assertVerdict(classifyFault(faultString), SmtpTestOutcome.FAIL, failureClass);
    }

    @Nested
    class RealOdooFaults {

        @ParameterizedTest
        @ValueSource(strings = {"test_smtp_connection_failure.response.xml", "v17/test_smtp_connection_failure.response.xml",
                "v19/test_smtp_connection_failure.response.xml"})
        void connectionRefusedInTheErrnoFormOf17AndLaterIsTransport(String fixture) {
            String fault = OdooFixtures.faultString(fixture);
            assertThat(fault).isEqualTo("Connection Test Failed! Here is what we got instead:\n [Errno 111] Connection refused");
            SmtpTestVerdict v = classifyFault(fault);
            assertVerdict(v, SmtpTestOutcome.FAIL, FailureClass.TRANSPORT);
            assertThat(v.detail()).isEqualTo("connection refused (errno 111)");
        }

        @Test
        void connectionRefusedInTheArgsPerLineFormOf16IsTransport() {
            String fault = OdooFixtures.faultString("v16/test_smtp_connection_failure.response.xml");
            assertThat(fault).isEqualTo("Connection Test Failed! Here is what we got instead:\n 111\nConnection refused");
            SmtpTestVerdict v = classifyFault(fault);
            assertVerdict(v, SmtpTestOutcome.FAIL, FailureClass.TRANSPORT);
            assertThat(v.detail()).isEqualTo("connection refused (errno 111)");
        }

        @Test
        void connectionRefusedOverJson2IsTransport() {
            assertFail(OdooFixtures.json2Message("v19/json2_test_smtp_connection_failure.response.json"),
                    FailureClass.TRANSPORT);
        }

        @Test
        void testRecipientRefusedWith511IsInconclusiveRecipient() {
            String fault = OdooFixtures.faultString("test_smtp_connection_rcpt_550.response.xml");
            SmtpTestVerdict v = classifyFault(fault);
            assertVerdict(v, SmtpTestOutcome.INCONCLUSIVE, FailureClass.RECIPIENT);
            assertThat(v.detail()).contains("noreply@odoo.com", "5.1.1 Mailbox unavailable");
        }

        @Test
        void watchdogUserWithoutEmailOn19IsInconclusiveAndSaysWhatToDo() {
            for (String fault : new String[] {
                    OdooFixtures.faultString("v19/test_smtp_connection_without_user_email.response.xml"),
                    OdooFixtures.json2Message("v19/json2_test_smtp_connection_without_user_email.response.json")}) {
                SmtpTestVerdict v = classifyFault(fault);
                assertThat(v.outcome()).isEqualTo(SmtpTestOutcome.INCONCLUSIVE);
                assertThat(v.detail()).contains("give the watchdog user an email address").doesNotContain("\n");
            }
        }
    }

    @Nested
    class ServerReplied {

        @Test
        void loginRefused535IsAuthWithTheReplyInTheDetail() {
            SmtpTestVerdict v = classifyFault("Server replied with following exception:\n"
                    + " (535, b'5.7.8 Username and Password not accepted')");
            assertVerdict(v, SmtpTestOutcome.FAIL, FailureClass.AUTH);
            assertThat(v.detail()).isEqualTo("SMTP login refused: 535 5.7.8 Username and Password not accepted");
        }

        @Test
        void loginRefusedOn16WithoutTheCodeIsAuth() {
            // 16.0 prints ustr(e.smtp_error): the reply text only.
            assertFail("Server replied with following exception:\n 5.7.8 Username and Password not accepted.",
                    FailureClass.AUTH);
            assertFail("Server replied with following exception:\n Authentication unsuccessful", FailureClass.AUTH);
        }

        @Test
        void webLoginRequired534IsAuth() {
            assertFail("Server replied with following exception:\n (534, b'5.7.9 Application-specific password required.')",
                    FailureClass.AUTH);
        }

        @Test
        void tooManyConnections421IsRateLimit() {
            assertFail("Server replied with following exception:\n (421, b'4.7.0 Too many connections, try again later')",
                    FailureClass.RATE_LIMIT);
            assertFail("Server replied with following exception:\n (454, b'4.7.0 TLS not available due to local problem')",
                    FailureClass.RATE_LIMIT);
            assertFail("Server replied with following exception:\n 4.7.0 Try again later", FailureClass.RATE_LIMIT);
        }

        @Test
        void otherRepliesAreUnknown() {
            assertFail("Server replied with following exception:\n (554, b'5.7.1 Access denied')", FailureClass.UNKNOWN);
        }
    }

    @Nested
    class ConnectionAndSecurity {

        @Test
        void missingStartTlsIsTlsAndMissingAuthIsAuth() {
            assertFail("An option is not supported by the server:\n STARTTLS extension not supported by server.",
                    FailureClass.TLS);
            assertFail("An option is not supported by the server:\n SMTP AUTH extension not supported by server.",
                    FailureClass.AUTH);
        }

        @Test
        void unnamedMissingOptionOn16IsUnknown() {
            assertFail("An option is not supported by the server:\n None", FailureClass.UNKNOWN);
        }

        @Test
        void sslExceptionsAreTls() {
            assertFail("An SSL exception occurred. Check connection security type.\n "
                    + "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)",
                    FailureClass.TLS);
            assertFail("An SSL exception occurred. Check connection security type.\n "
                    + "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", FailureClass.TLS);
            assertFail("An SSL exception occurred. Check connection security type.\n "
                    + "CertificateError: hostname 'mail.example.com' doesn't match 'other.example.com'", FailureClass.TLS);
        }

        @Test
        void sslErrorCaughtByTheGenericBranchOf16IsTls() {
            assertFail("Connection Test Failed! Here is what we got instead:\n 1\n[SSL: CERTIFICATE_VERIFY_FAILED] "
                    + "certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)", FailureClass.TLS);
        }

        @Test
        void badClientCertificateIsTls() {
            assertFail("The private key or the certificate is not a valid file. \n[('PEM routines', '', 'no start line')]",
                    FailureClass.TLS);
            assertFail("Could not load your certificate / private key. \n[('SSL routines', '', 'key values mismatch')]",
                    FailureClass.TLS);
        }

        @Test
        void noSuitableAuthenticationMethodIsAuthAndOtherSmtpExceptionsAreTransport() {
            assertFail("An SMTP exception occurred. Check port number and connection security type.\n "
                    + "No suitable authentication method found.", FailureClass.AUTH);
            assertFail("An SMTP exception occurred. Check port number and connection security type.\n "
                    + "some other smtplib error", FailureClass.TRANSPORT);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "No response received. Check server address and port number.\n [Errno -2] Name or service not known",
                "No response received. Check server address and port number.\n timed out",
                "Invalid server name!\n Codepoint U+0020 at position 5 of 'smtp example' not allowed",
                "Invalid server name !\n label empty or too long",
                "The server has closed the connection unexpectedly. Check configuration served on this port number.\n "
                        + "Connection unexpectedly closed",
                "The server has closed the connection unexpectedly. Check configuration served on this port number.\n None",
                "Connection Test Failed! Here is what we got instead:\n [Errno 113] No route to host",
                "Connection Test Failed! Here is what we got instead:\n -3\nTemporary failure in name resolution"})
        void dnsTimeoutsAndClosedConnectionsAreTransport(String fault) {
            assertFail(fault, FailureClass.TRANSPORT);
        }

        @Test
        void dnsFailureDetailNamesTheCause() {
            assertThat(classifyFault("No response received. Check server address and port number.\n "
                    + "[Errno -2] Name or service not known").detail())
                    .isEqualTo("no response from the server (DNS failure or timeout): [Errno -2] Name or service not known");
        }

        @Test
        void genericFailureWithoutErrnoIsUnknown() {
            assertFail("Connection Test Failed! Here is what we got instead:\n something unexpected", FailureClass.UNKNOWN);
        }
    }

    @Nested
    class Envelope {

        private static final String SENDER = "The server refused the sender address (odoo@example.com) with error ";
        private static final String RECIPIENT = "The server refused the test recipient (noreply@odoo.com) with error ";
        private static final String DATA = "The server refused the test connection with error ";

        @Test
        void senderRefusedIsSenderUnlessTemporaryOrAuthenticationRequired() {
            SmtpTestVerdict v = classifyFault(SENDER + "b'5.7.1 Sender address rejected: not owned by user'");
            assertVerdict(v, SmtpTestOutcome.FAIL, FailureClass.SENDER);
            assertThat(v.detail()).contains("odoo@example.com", "5.7.1 Sender address rejected");
            assertFail(SENDER + "b'4.7.1 Try again later'", FailureClass.RATE_LIMIT);
            assertFail(SENDER + "b'5.7.0 Authentication required'", FailureClass.AUTH);
        }

        @Test
        void temporaryTestRecipientRefusalIsRateLimitFail() {
            assertFail(RECIPIENT + "b'4.3.2 Service not available'", FailureClass.RATE_LIMIT);
        }

        @Test
        void relayDeniedForTheTestRecipientIsAuth() {
            assertFail(RECIPIENT + "b'5.7.1 <noreply@odoo.com>: Relay access denied'", FailureClass.AUTH);
        }

        @Test
        void otherTestRecipientRefusalsAreUnknown() {
            assertFail(RECIPIENT + "b'5.4.1 Recipient address rejected: Access denied'", FailureClass.UNKNOWN);
        }

        @Test
        void dataRefusalIsRateLimitWhenTemporaryElseUnknown() {
            assertFail(DATA + "b'4.7.0 Temporary local problem'", FailureClass.RATE_LIMIT);
            assertFail(DATA + "b'5.5.1 Error: no valid recipients'", FailureClass.UNKNOWN);
        }
    }

    @Test
    void unrecognisedOrTranslatedFaultsAreUnknownFailWithTheirText() {
        SmtpTestVerdict v = classifyFault("Échec du test de connexion !\n [Errno 111] Connexion refusée");
        assertVerdict(v, SmtpTestOutcome.FAIL, FailureClass.UNKNOWN);
        assertThat(v.detail()).contains("Échec du test de connexion");
        assertFail(null, FailureClass.UNKNOWN);
        assertFail("", FailureClass.UNKNOWN);
    }

    @Test
    void passHasNoFailureClass() {
        assertThat(SmtpTestVerdict.pass().outcome()).isEqualTo(SmtpTestOutcome.PASS);
        assertThat(SmtpTestVerdict.pass().failureClass()).isNull();
        assertThatThrownBy(() -> new SmtpTestVerdict(SmtpTestOutcome.FAIL, null, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpTestVerdict(SmtpTestOutcome.FAIL, FailureClass.AUTH, "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
