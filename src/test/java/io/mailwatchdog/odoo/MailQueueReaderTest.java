package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mailwatchdog.testing.LocalWireMock;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.mailwatchdog.testing.FixtureOdoo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue readers decode what each Odoo version really returns. */
class MailQueueReaderTest {

    @RegisterExtension
    static final WireMockExtension wire = LocalWireMock.extension();

    static OdooSession session() {
        return new OdooSession(new XmlRpcOdooTransport(new TransportOptions(
                java.net.URI.create("http://127.0.0.1:" + wire.getPort()), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(5), TransportOptions.DEFAULT_MAX_RESPONSE_BYTES, java.util.Optional.empty())),
                "watchdog", "admin", "pw");
    }

    MailQueueReader reader(String version) {
        new FixtureOdoo(wire, version).common("version", "version").common("authenticate", "authenticate_success");
        return new MailQueueReader(session());
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18"})
    void countsByStateComeFromOneReadGroupCall(String v) throws Exception {
        MailQueueReader reader = reader(v);
        new FixtureOdoo(wire, v).execute("mail.mail", "read_group", "read_group_mail_mail_by_state");
        MailStateCounts counts = reader.countByState();
        assertThat(counts.byState()).containsKeys("outgoing", "sent", "received", "exception", "cancel");
        assertThat(counts.byState().values().stream().mapToInt(Integer::intValue).sum()).isPositive();
        assertThat(counts.get("received")).isZero();
        assertThat(wire.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/xmlrpc/2/object")))).hasSize(1);
    }

    @Test
    void odoo18CountsAfterTheQueueRanAreExceptionThreeAndSentTwo() throws Exception {
        MailQueueReader reader = reader("18");
        new FixtureOdoo(wire, "18").execute("mail.mail", "read_group", "read_group_mail_mail_by_state_after");
        MailStateCounts counts = reader.countByState();
        assertThat(counts.get("exception")).isEqualTo(3);
        assertThat(counts.get("sent")).isEqualTo(2);
        assertThat(counts.get("outgoing")).isZero();
    }

    @Test
    void odoo19CountsWithFormattedReadGroupAndNeverTheDeprecatedOne() throws Exception {
        MailQueueReader reader = reader("19");
        new FixtureOdoo(wire, "19").execute("mail.mail", "formatted_read_group", "formatted_read_group_mail_mail_by_state");
        MailStateCounts counts = reader.countByState();
        assertThat(counts.get("exception")).isEqualTo(1);
        assertThat(counts.get("sent")).isEqualTo(1);
        assertThat(wire.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains(">read_group<"));
    }

    @Test
    void dueMailByHourOn16ReadsTheHourFromRangeNotFromTheTwelveHourLabel() throws Exception {
        MailQueueReader reader = reader("16");
        new FixtureOdoo(wire, "16").executeCaptured("mail.mail", "read_group", "due_by_hour_v16", 10);
        List<DueHourGroup> groups = reader.dueByHour(Instant.parse("2026-11-23T13:34:32Z"));
        assertThat(groups).hasSize(2);
        assertThat(groups).allMatch(g -> g.createHour().equals(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(groups).anyMatch(g -> g.scheduledHour() == null);
        assertThat(groups).anyMatch(g -> Instant.parse("2026-11-23T10:00:00Z").equals(g.scheduledHour()));
        // scheduled at 10:00 but created at 13:00: due since 13:00, the later of the two
        assertThat(groups).allMatch(g -> g.dueHour().equals(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(groups.stream().mapToInt(DueHourGroup::count).sum()).isEqualTo(2);
    }

    @Test
    void dueMailByHourOn19ReadsTheRawStartOfEachPair() throws Exception {
        MailQueueReader reader = reader("19");
        new FixtureOdoo(wire, "19").executeCaptured("mail.mail", "formatted_read_group", "due_by_hour_v19", 10);
        List<DueHourGroup> groups = reader.dueByHour(Instant.parse("2026-11-23T13:34:33Z"));
        assertThat(groups).hasSize(2);
        assertThat(groups).allMatch(g -> g.createHour().equals(Instant.parse("2026-11-23T13:00:00Z")));
        assertThat(groups).anyMatch(g -> Instant.parse("2026-11-23T10:00:00Z").equals(g.scheduledHour()));
    }

    @Test
    void latestExceptionsKeepOdoosFalseFailureTypeAsNull() throws Exception {
        MailQueueReader reader = reader("18");
        new FixtureOdoo(wire, "18").execute("mail.mail", "search_read", "search_read_mail_mail_exception");
        List<FailedMail> failed = reader.latestExceptions(5);
        assertThat(failed).extracting(FailedMail::id).containsExactly(5, 4, 3);
        FailedMail refused = failed.get(2);
        assertThat(refused.failureType()).isNull();
        assertThat(refused.failureReason()).isEqualTo("111\nConnection refused");
        assertThat(MailFailureClassifier.classify(refused.failureType(), refused.failureReason()))
                .isEqualTo(FailureClass.TRANSPORT);
        assertThat(failed.get(0).writeDate()).isEqualTo(Instant.parse("2026-11-23T00:49:34Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void theMailCronIsFoundByItsXmlIdAndReadWithThisVersionsFields(String v) throws Exception {
        new FixtureOdoo(wire, v).common("version", "version").common("authenticate", "authenticate_success")
                .execute("ir.model.data", "search_read", "search_read_ir_model_data_cron_xmlid")
                .execute("ir.cron", "read", "read_ir_cron");
        MailCronReader reader = new MailCronReader(session());
        int id = reader.resolveId().orElseThrow();
        assertThat(id).isEqualTo("16".equals(v) ? 2 : 3);
        CronRecord cron = reader.read(id).orElseThrow();
        assertThat(cron.active()).isTrue();
        assertThat(cron.intervalNumber()).isEqualTo(1);
        assertThat(cron.intervalType()).isEqualTo("hours");
        if (Integer.parseInt(v) >= 18) {
            assertThat(cron.failureCount()).isZero();
            assertThat(cron.numbercall()).isNull();
        } else {
            assertThat(cron.numbercall()).isEqualTo(-1);
            assertThat(cron.failureCount()).isNull();
        }
        String body = wire.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                .filter(b -> b.contains("ir.cron")).findFirst().orElseThrow();
        assertThat(body).contains(Integer.parseInt(v) >= 18 ? "failure_count" : "numbercall")
                .doesNotContain(Integer.parseInt(v) >= 18 ? "numbercall" : "failure_count");
    }

    @ParameterizedTest
    @ValueSource(strings = {"16", "17", "18", "19"})
    void smtpTestVerdictsComeFromEachVersionsFaultText(String v) throws Exception {
        new FixtureOdoo(wire, v).common("version", "version").common("authenticate", "authenticate_success")
                .executeOnId("ir.mail_server", "test_smtp_connection", 1, "test_smtp_connection_success")
                .executeOnId("ir.mail_server", "test_smtp_connection", 2, "test_smtp_connection_failure");
        MailServerReader reader = new MailServerReader(session());
        assertThat(reader.test(1, java.time.Duration.ofSeconds(5)).outcome()).isEqualTo(SmtpTestOutcome.PASS);
        SmtpTestVerdict failed = reader.test(2, java.time.Duration.ofSeconds(5));
        assertThat(failed.outcome()).isEqualTo(SmtpTestOutcome.FAIL);
        assertThat(failed.failureClass()).isEqualTo(FailureClass.TRANSPORT);
    }

    @Test
    void anSmtpTestWithNoAnswerInTimeIsAFailedTransportNotAnError() throws Exception {
        new FixtureOdoo(wire, "18").common("version", "version").common("authenticate", "authenticate_success");
        wire.stubFor(FixtureOdoo.executeKw("ir.mail_server", "test_smtp_connection").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFixedDelay(3000).withStatus(200)
                        .withBody(io.mailwatchdog.testing.Fixtures.response("18", "test_smtp_connection_success"))));
        SmtpTestVerdict verdict = new MailServerReader(session())
                .test(2, java.time.Duration.ofMillis(500));
        assertThat(verdict.outcome()).isEqualTo(SmtpTestOutcome.FAIL);
        assertThat(verdict.failureClass()).isEqualTo(FailureClass.TRANSPORT);
        assertThat(verdict.detail()).contains("no answer within 500 ms");
    }

    @Test
    void odoo19WithoutAnEmailOnTheUserIsInconclusive() throws Exception {
        new FixtureOdoo(wire, "19").common("version", "version").common("authenticate", "authenticate_success")
                .execute("ir.mail_server", "test_smtp_connection", "test_smtp_connection_without_user_email");
        SmtpTestVerdict verdict = new MailServerReader(session())
                .test(1, java.time.Duration.ofSeconds(5));
        assertThat(verdict.outcome()).isEqualTo(SmtpTestOutcome.INCONCLUSIVE);
        assertThat(verdict.detail()).contains("email");
    }
}
