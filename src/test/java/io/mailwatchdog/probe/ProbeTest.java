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
    void aProbeCostsElevenRequestsPlusOnePerSmtpLogin() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        Snapshot s = probe().probe(target());
        assertThat(s.reached()).isTrue();
        assertThat(s.requests()).isEqualTo(12);
        assertThat(wire.getAllServeEvents()).hasSize(12);
        assertThat(smtpTests()).isEqualTo(1);
    }

    @Test
    void twoServersWithTheSameLoginAreTestedOnce() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_same_login", 5);
        Snapshot s = probe().probe(target());
        assertThat(s.servers()).hasSize(2);
        assertThat(smtpTests()).isEqualTo(1);
        assertThat(s.servers()).allMatch(server -> "PASS".equals(server.test().outcome()));
    }

    @Test
    void aRefusedSmtpLoginIsNotRetestedBeforeItsBackoff() throws Exception {
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "test_smtp_connection", "test_smtp_connection_auth_refused", 5);
        TargetSettings target = target();
        Snapshot first = probe().probe(target);
        assertThat(first.servers().get(0).test().failureClass()).isEqualTo("AUTH");
        assertThat(first.servers().get(0).test().cachedFrom()).isNull();
        Snapshot second = probe().probe(target);
        assertThat(smtpTests()).as("the SMTP server saw one login only").isEqualTo(1);
        assertThat(second.servers().get(0).test().outcome()).isEqualTo("FAIL");
        assertThat(second.servers().get(0).test().cachedFrom()).isEqualTo(CLOCK.instant());
    }

    @Test
    void theRequestCountDoesNotGrowWithTheQueue() throws Exception {
        // The same calls answer a queue of 5 or of a million: counts are grouped, samples are bounded.
        new FixtureOdoo(wire, "18").healthyOdoo18();
        String body = wire.getStubMappings().toString();
        assertThat(body).doesNotContain("search_count");
        Snapshot s = probe().probe(target());
        assertThat(wire.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains(">search_count<"));
        assertThat(s.queue().exceptionSampleLimit()).isEqualTo(200);
        assertThat(wire.getAllServeEvents()).allMatch(e -> !e.getRequest().getBodyAsString().contains(">read<")
                || e.getRequest().getBodyAsString().contains("ir.cron"));
    }
}
