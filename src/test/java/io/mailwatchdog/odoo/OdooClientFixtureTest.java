package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mailwatchdog.testing.LocalWireMock;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.mailwatchdog.testing.FixtureOdoo;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against the real bodies captured from Odoo 16.0, 17.0, 18.0 and 19.0. */
class OdooClientFixtureTest {

    @RegisterExtension
    static final WireMockExtension wire = LocalWireMock.extension();

    static OdooSession session(String password) {
        XmlRpcOdooTransport transport = new XmlRpcOdooTransport(new TransportOptions(
                URI.create("http://127.0.0.1:" + wire.getPort()), Duration.ofSeconds(2), Duration.ofSeconds(5),
                TransportOptions.DEFAULT_MAX_RESPONSE_BYTES, Optional.empty()));
        return new OdooSession(transport, "watchdog", "admin", password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void detectsTheServerVersionAndItsCronFields(String v) throws Exception {
        new FixtureOdoo(wire, v).common("version", "version");
        OdooVersion version = session("pw").version();
        assertThat(version.major()).isEqualTo(Integer.parseInt(v));
        assertThat(version.minor()).isZero();
        assertThat(version.cronFields()).contains(version.major() >= 18 ? "failure_count" : "numbercall")
                .doesNotContain(version.major() >= 18 ? "numbercall" : "failure_count");
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void logsInWithTheRightSecretAndGetsTheUserId(String v) throws Exception {
        new FixtureOdoo(wire, v).common("authenticate", "authenticate_success");
        assertThat(session("__ODOO_PASSWORD__").login()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void aWrongPasswordIsARefusedLoginThatSaysSo(String v) {
        new FixtureOdoo(wire, v).common("authenticate", "authenticate_wrong_password");
        assertThatThrownBy(() -> session("__WRONG_PASSWORD__").login())
                .isInstanceOf(LoginRefused.class)
                .hasMessageContaining("refused the login of 'admin'")
                .hasMessageNotContaining("__WRONG_PASSWORD__");
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void accessDeniedOnACallIsARefusedLogin(String v) {
        new FixtureOdoo(wire, v).common("authenticate", "authenticate_success")
                .execute("mail.mail", "search_count", "execute_kw_access_denied");
        assertThatThrownBy(() -> session("pw").execute("mail.mail", "search_count", List.of(List.of()), Map.of()))
                .isInstanceOf(LoginRefused.class).hasMessageContaining("Access Denied");
    }

    @Test
    void aPrivateMethodIsAnAccessErrorFault4() {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("mail.mail", "_send", "execute_kw_private_method");
        assertThatThrownBy(() -> session("pw").execute("mail.mail", "_send", List.of(List.of(1)), Map.of()))
                .isInstanceOf(OdooFault.OdooAccessError.class)
                .hasMessageContaining("Private methods")
                .satisfies(e -> assertThat(((OdooFault) e).code()).isEqualTo(4));
    }

    @Test
    void aServerErrorKeepsTheLastLineOfTheTraceback() {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("mail.mail", "no_such_method", "execute_kw_unknown_method");
        assertThatThrownBy(() -> session("pw").execute("mail.mail", "no_such_method", List.of(), Map.of()))
                .isInstanceOf(OdooFault.OdooServerError.class)
                .satisfies(e -> assertThat(((OdooFault) e).lastLine())
                        .isEqualTo("AttributeError: The method 'mail.mail.no_such_method' does not exist"))
                .hasMessageNotContaining("Traceback");
    }

    @Test
    void readingNumbercallOnOdoo18IsAServerErrorNamingTheField() {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("ir.cron", "read", "read_ir_cron_numbercall_fault");
        assertThatThrownBy(() -> session("pw").execute("ir.cron", "read", List.of(List.of(3)),
                Map.of("fields", List.of("numbercall"))))
                .isInstanceOf(OdooFault.OdooServerError.class)
                .hasMessageContaining("Invalid field 'numbercall' on model 'ir.cron'");
    }

    @Test
    void aFailedSmtpTestIsAUserErrorFault2WithOdoosText() {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("ir.mail_server", "test_smtp_connection", "test_smtp_connection_failure");
        assertThatThrownBy(() -> session("pw").execute("ir.mail_server", "test_smtp_connection",
                List.of(List.of(2)), Map.of()))
                .isInstanceOf(OdooFault.OdooUserError.class)
                .satisfies(e -> assertThat(((OdooFault) e).faultString()).contains("Connection refused"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void theMarshalNoneFaultOfProcessEmailQueueCountsAsDone(String v) throws Exception {
        new FixtureOdoo(wire, v).common("authenticate", "authenticate_success")
                .execute("mail.mail", "process_email_queue", "process_email_queue");
        session("pw").executeReturningNone("mail.mail", "process_email_queue", List.of(List.of(2, 3)), Map.of(),
                Duration.ofSeconds(5));
        assertThat(wire.getAllServeEvents()).hasSize(2);
    }

    @Test
    void theMarshalNoneFaultOfSendCountsAsDone() throws Exception {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("mail.mail", "send", "mail_mail_send");
        session("pw").executeReturningNone("mail.mail", "send", List.of(List.of(1)), Map.of(), Duration.ofSeconds(5));
    }

    @Test
    void theMarshalNoneFaultOfAnyOtherMethodIsAFailure() {
        // Same body, but write() is not known to return None: the rule is narrow on purpose.
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("ir.cron", "write", "process_email_queue");
        assertThatThrownBy(() -> session("pw").executeReturningNone("ir.cron", "write",
                List.of(List.of(3), Map.of("active", true)), Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(OdooFault.OdooServerError.class)
                .hasMessageContaining("cannot marshal None");
    }

    @Test
    void anUnknownKeywordArgumentIsNotMistakenForDone() {
        new FixtureOdoo(wire, "16").common("authenticate", "authenticate_success")
                .execute("mail.mail", "process_email_queue", "process_email_queue_batch_size_kwarg");
        assertThatThrownBy(() -> session("pw").executeReturningNone("mail.mail", "process_email_queue",
                List.of(), Map.of("batch_size", 10), Duration.ofSeconds(5)))
                .isInstanceOf(OdooFault.OdooServerError.class)
                .hasMessageContaining("unexpected keyword argument 'batch_size'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void readsTheMailSchedulerCronWithOdoosFalseForEmptyFields(String v) throws Exception {
        new FixtureOdoo(wire, v).common("authenticate", "authenticate_success")
                .execute("ir.cron", "read", "read_ir_cron");
        List<Map<String, Object>> rows = OdooValues.records(
                session("pw").execute("ir.cron", "read", List.of(List.of(3)), Map.of()), "read");
        assertThat(rows).hasSize(1);
        Map<String, Object> cron = rows.get(0);
        assertThat(OdooValues.bool(cron.get("active"))).isTrue();
        assertThat(OdooValues.datetime(cron.get("nextcall"), "nextcall")).isNotNull();
        assertThat(cron.get("interval_type")).isEqualTo("hours");
    }

    @Test
    void afterARefusalNoFurtherRequestIsSentNotEvenFromAnotherThread() throws Exception {
        new FixtureOdoo(wire, "18").common("authenticate", "authenticate_success")
                .execute("mail.mail", "search_count", "execute_kw_access_denied");
        OdooSession session = session("pw");
        assertThatThrownBy(() -> session.execute("mail.mail", "search_count", List.of(List.of()), Map.of()))
                .isInstanceOf(LoginRefused.class);
        int sent = wire.getAllServeEvents().size();
        Thread other = new Thread(() -> {
            try {
                session.execute("ir.mail_server", "test_smtp_connection", List.of(List.of(1)), Map.of());
            } catch (OdooException expected) {
                // refused without a request
            }
        });
        other.start();
        other.join();
        assertThatThrownBy(session::login).isInstanceOf(LoginRefused.class);
        assertThat(wire.getAllServeEvents()).hasSize(sent);
    }
}
