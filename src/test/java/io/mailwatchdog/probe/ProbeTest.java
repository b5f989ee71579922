package io.mailwatchdog.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mailwatchdog.testing.LocalWireMock;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import io.mailwatchdog.testing.FixtureOdoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one probe costs Odoo, and how it spares the SMTP servers. */
class ProbeTest {

    @RegisterExtension
    static final WireMockExtension wire = LocalWireMock.extension();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T00:55:00Z"), ZoneOffset.UTC);
    static final Instant DEADLINE = CLOCK.instant().plusSeconds(50);

    @TempDir
    Path dir;

    TargetSettings target() throws Exception {
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, "state-dir = \"" + dir.resolve("state") + "\"\ntargets = [ { name = prod, url = \"http://127.0.0.1:"
                + wire.getPort() + "\", database = watchdog, login = admin, password = pw } ]\n");
        Settings settings = SettingsLoader.load(Optional.of(conf), Map.of());
        return settings.targets().get(0);
    }

    Probe probe() {
        StateFiles state = new StateFiles(dir.resolve("state"));
        return new Probe(CLOCK, new LoginParking(state), new SmtpTestMemory(state), true);
    }

    int smtpTests() {
        return wire.findAll(postRequestedFor(urlPathEqualTo("/xmlrpc/2/object"))
                .withRequestBody(containing("test_smtp_connection"))).size();
    }

    @Test
    void aProbeOf18CostsThirteenRequestsPlusOnePerSmtpLogin() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        Snapshot s = probe().probe(target(), DEADLINE);
        assertThat(s.reached()).isTrue();
        assertThat(s.requests()).isEqualTo(14);
        assertThat(wire.getAllServeEvents()).hasSize(14);
        assertThat(smtpTests()).isEqualTo(1);
    }

    @Test
    void twoServersWithTheSameLoginAreTestedOnce() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_same_login", 5);
        Snapshot s = probe().probe(target(), DEADLINE);
        assertThat(s.servers()).hasSize(2);
        assertThat(smtpTests()).isEqualTo(1);
        assertThat(s.servers()).allMatch(server -> "PASS".equals(server.test().outcome()));
    }

    @Test
    void aRefusedSmtpLoginIsNotRetestedBeforeItsBackoff() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "test_smtp_connection", "test_smtp_connection_auth_refused", 5);
        TargetSettings target = target();
        Snapshot first = probe().probe(target, DEADLINE);
        assertThat(first.servers().get(0).test().failureClass()).isEqualTo("AUTH");
        assertThat(first.servers().get(0).test().cachedFrom()).isNull();
        Snapshot second = probe().probe(target, DEADLINE);
        assertThat(smtpTests()).as("the SMTP server saw one login only").isEqualTo(1);
        assertThat(second.servers().get(0).test().outcome()).isEqualTo("FAIL");
        assertThat(second.servers().get(0).test().cachedFrom()).isEqualTo(CLOCK.instant());
    }

    @Test
    void theRequestCountStaysBoundedWhenTheExceptionSampleOverflows() throws Exception {
        // 200 exceptions that all failed within the hour fill the sample: the probe asks Odoo for the
        // two exact counts (last hour, last 24 h) instead of reading more rows. Nothing else grows.
        new FixtureOdoo(wire, "18").healthyOdoo18();
        StringBuilder rows = new StringBuilder("<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>");
        for (int id = 1_000_200; id > 1_000_000; id--) {
            rows.append("<value><struct><member><name>id</name><value><int>").append(id).append("</int></value></member>")
                    .append("<member><name>failure_type</name><value><boolean>0</boolean></value></member>")
                    .append("<member><name>failure_reason</name><value><string>111\nConnection refused</string></value></member>")
                    .append("<member><name>write_date</name><value><string>2026-11-23 00:50:00</string></value></member>")
                    .append("<member><name>create_date</name><value><string>2026-11-23 00:40:00</string></value></member>")
                    .append("<member><name>model</name><value><string>res.partner</string></value></member>")
                    .append("</struct></value>");
        }
        rows.append("</data></array></value></param></params></methodResponse>");
        wire.stubFor(FixtureOdoo.executeKw("mail.mail", "search_read").atPriority(1)
                .withRequestBody(containing("write_date desc")).willReturn(com.github.tomakehurst.wiremock.client.WireMock
                        .aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(rows.toString())));
        wire.stubFor(FixtureOdoo.executeKw("mail.mail", "search_count").willReturn(com.github.tomakehurst.wiremock.client
                .WireMock.aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<?xml version=\"1.0\"?><methodResponse><params><param><value><int>1000000</int></value>"
                                + "</param></params></methodResponse>")));
        Snapshot s = probe().probe(target(), DEADLINE);
        assertThat(s.requests()).isEqualTo(14 + 2);
        assertThat(s.queue().exceptionsLastHour()).isEqualTo(1_000_000);
        assertThat(s.queue().exceptionsLast24h()).isEqualTo(1_000_000);
        assertThat(s.queue().exceptionSampleSize()).isEqualTo(200);
        assertThat(s.queue().signatures()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(200));
    }

    @Test
    void anSmtpTestCutShortByTheRunIsUnfinishedNotABrokenServer() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        wire.stubFor(FixtureOdoo.executeKw("ir.mail_server", "test_smtp_connection").atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFixedDelay(9000)
                        .withStatus(200).withBody(io.mailwatchdog.testing.Fixtures.response("18", "test_smtp_connection_success"))));
        // 8 s left of the run, 30 s configured for a test: the test gets 6 s and does not finish.
        Snapshot s = probe().probe(target(), CLOCK.instant().plusSeconds(8));
        assertThat(s.servers().get(0).test().outcome()).isEqualTo("UNFINISHED");
        assertThat(s.servers().get(0).test().detail()).contains("raise --timeout");
    }

    @Test
    void aBacklogTooWideForTheReplyCapStillReportsTheRest() throws Exception {
        new FixtureOdoo(wire, "18").backlogOdoo18();
        wire.stubFor(FixtureOdoo.executeKw("mail.mail", "read_group").atPriority(1)
                .withRequestBody(containing("create_date:hour")).willReturn(com.github.tomakehurst.wiremock.client
                        .WireMock.aResponse().withStatus(200).withHeader("Content-Length", String.valueOf(64L << 20))
                        .withBody("<methodResponse/>")));
        Snapshot s = probe().probe(target(), DEADLINE);
        assertThat(s.reached()).isTrue();
        assertThat(s.partialErrors()).singleElement().asString().startsWith("no age histogram");
        assertThat(s.queue().due()).isEqualTo(2); // every outgoing mail, as the groups are missing
        assertThat(s.queue().oldestDueAgeSeconds()).isEqualTo(327);
    }
}
