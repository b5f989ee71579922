package io.mailwatchdog.cli;

import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.report.ReportJson;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mailwatchdog.testing.LocalWireMock;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mailwatchdog.testing.CliRun;
import io.mailwatchdog.testing.FixtureOdoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.StreamSupport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check` end to end: real HTTP to WireMock serving Odoo 18.0's captured replies. */
class CheckCommandTest {

    static final String SECRET = "s3cr3t-Pa55-word";
    @RegisterExtension
    static final WireMockExtension wire = LocalWireMock.extension();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        // Six minutes after Odoo 18.0's fixtures were recorded: the cron's nextcall (00:49:16) is within
        // the grace, and the three exceptions (00:49:34) failed within the last hour.
        clock = Clock.fixed(Instant.parse("2026-11-23T00:55:00Z"), ZoneOffset.UTC);
    }

    Clock clock;

    CliRun run(String... args) {
        return CliRun.at(clock, args);
    }

    Path config(String extra) throws IOException {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\n" + extra + "\n"
                + "targets = [ { name = prod, url = \"http://127.0.0.1:" + wire.getPort() + "\", database = watchdog,"
                + " login = admin, password = \"" + SECRET + "\" } ]\n");
        return file;
    }

    static JsonNode finding(JsonNode target, String check) {
        return StreamSupport.stream(target.get("findings").spliterator(), false)
                .filter(f -> f.get("check").asText().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void aHealthyOdooWithRecentExceptionsIsReportedWithEveryStateCountAndExit() throws IOException {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        CliRun run = run("-c", config("").toString(), "check", "--format", "json");
        JsonNode doc = JSON.readTree(run.out());
        JsonNode target = doc.get("targets").get(0);
        JsonNode queue = target.get("queue");
        assertThat(queue.get("outgoing").asInt()).isZero();
        assertThat(queue.get("sent").asInt()).isEqualTo(2);
        assertThat(queue.get("exception").asInt()).isEqualTo(3);
        assertThat(queue.get("received").asInt()).isZero();
        assertThat(queue.get("cancel").asInt()).isZero();
        assertThat(target.get("scheduler").get("active").asBoolean()).isTrue();
        assertThat(finding(target, "smtp.server-test").get("status").asText()).isEqualTo("PASS");
        JsonNode exceptions = finding(target, "queue.exceptions");
        assertThat(exceptions.get("status").asText()).isEqualTo("WARN");
        assertThat(exceptions.get("summary").asText()).startsWith("3 mail(s) failed in the last hour");
        assertThat(queue.get("oldestOutgoingAgeSeconds").asLong()).isZero(); // nothing is due
        assertThat(finding(target, "scheduler.on-time").get("status").asText()).isEqualTo("PASS");
        assertThat(doc.get("status").asText()).isEqualTo("WARN");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void aBacklogIsMeasuredFromTheOldestDueMailAndFailsPastTheThreshold() throws IOException {
        new FixtureOdoo(wire, "18").backlogOdoo18();
        CliRun fresh = run("-c", config("").toString(), "check", "--format", "json");
        JsonNode queue = JSON.readTree(fresh.out()).get("targets").get(0).get("queue");
        assertThat(queue.get("outgoing").asInt()).isEqualTo(2);
        assertThat(queue.get("due").asInt()).isEqualTo(2);
        assertThat(queue.get("oldestOutgoingAgeSeconds").asLong()).isEqualTo(327); // created 00:49:33
        assertThat(queue.get("oldestOutgoingId").asInt()).isEqualTo(2);
        assertThat(queue.get("ageHistogram").get(0).get("count").asInt()).isEqualTo(2);

        clock = Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneOffset.UTC);
        CliRun late = run("-c", config("").toString(), "check", "--format", "json");
        JsonNode target = JSON.readTree(late.out()).get("targets").get(0);
        JsonNode oldest = finding(target, "queue.oldest-outgoing");
        assertThat(oldest.get("status").asText()).isEqualTo("FAIL");
        assertThat(oldest.get("summary").asText()).isEqualTo("2 due outgoing mail, the oldest waiting 1 h 10 min");
        assertThat(late.exit()).isEqualTo(2);
    }

    @Test
    void theJsonOutputFollowsThePublishedSchema() throws IOException {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        CliRun run = run("-c", config("").toString(), "check", "--format", "json");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("docs", "check-output.schema.json")));
        Set<ValidationMessage> errors = schema.validate(JSON.readTree(run.out()));
        assertThat(errors).isEmpty();
    }

    @Test
    void anUnreachableOdooFailsWithExit2AndOneLineWithoutAStackTrace() throws IOException {
        Path file = dir.resolve("down.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\n"
                + "targets = [ { name = down, url = \"http://127.0.0.1:1\", database = d, login = a, password = x } ]\n");
        CliRun run = run("-c", file.toString(), "check");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains("FAIL    odoo.reachable").contains("cannot connect (connection refused)");
        assertThat(run.all()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aWrongPasswordFailsOnceThenIsParkedWithoutAnyRequestUntilUnparked() throws IOException {
        FixtureOdoo odoo = new FixtureOdoo(wire, "18").common("version", "version")
                .common("authenticate", "authenticate_wrong_password");
        Path conf = config("");
        CliRun first = run("-c", conf.toString(), "check");
        assertThat(first.exit()).isEqualTo(2);
        assertThat(first.out()).contains("FAIL    odoo.login").contains("refused the login of 'admin'");
        int requestsAfterFirst = wire.getAllServeEvents().size();
        assertThat(requestsAfterFirst).isEqualTo(2);

        CliRun second = run("-c", conf.toString(), "check");
        assertThat(second.exit()).isEqualTo(2);
        assertThat(second.out()).contains("login parked since").contains("--unpark");
        assertThat(wire.getAllServeEvents()).as("no request while parked").hasSize(requestsAfterFirst);

        odoo.healthyOdoo18();
        CliRun unparked = run("-c", conf.toString(), "check", "--unpark");
        assertThat(unparked.err()).contains("unparked prod");
        assertThat(unparked.out()).contains("PASS    odoo.login");
    }

    @Test
    void aChangedPasswordEndsTheParkingByItself() throws IOException {
        new FixtureOdoo(wire, "18").common("version", "version").common("authenticate", "authenticate_wrong_password");
        run("-c", config("").toString(), "check");
        wire.resetAll();
        new FixtureOdoo(wire, "18").healthyOdoo18();
        Path changed = dir.resolve("changed.conf");
        Files.writeString(changed, Files.readString(dir.resolve("watchdog.conf")).replace(SECRET, SECRET + "-new"));
        CliRun run = run("-c", changed.toString(), "check");
        assertThat(run.out()).contains("PASS    odoo.login");
    }

    @Test
    void aFailingSmtpServerIsAFailWithItsClassAndTheRunbookHint() throws IOException {
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_two", 5)
                .executeOnId("ir.mail_server", "test_smtp_connection", 2, "test_smtp_connection_failure");
        CliRun run = run("-c", config("").toString(), "check", "--format", "json");
        JsonNode target = JSON.readTree(run.out()).get("targets").get(0);
        assertThat(run.exit()).isEqualTo(2);
        JsonNode test = finding(target, "smtp.server-test");
        assertThat(test.get("status").asText()).isEqualTo("FAIL");
        assertThat(test.get("summary").asText()).contains("closed-port").contains("connection refused");
        assertThat(test.get("hint").asText()).contains("cannot reach the SMTP server");
        assertThat(target.get("servers").get(1).get("test").get("failureClass").asText()).isEqualTo("TRANSPORT");
        assertThat(target.get("servers").get(0).get("test").get("outcome").asText()).isEqualTo("PASS");
    }

    @Test
    void reportsAreBuiltWithoutTheSecretEvenBeforeRedaction() throws Exception {
        // The Redactor is a last line of defence; the reports themselves must not need it.
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_two", 5)
                .executeOnId("ir.mail_server", "test_smtp_connection", 2, "test_smtp_connection_failure");
        io.mailwatchdog.config.Settings settings = io.mailwatchdog.config.SettingsLoader.load(
                java.util.Optional.of(config("")), java.util.Map.of());
        java.util.List<io.mailwatchdog.health.TargetReport> reports = CheckRun.reports(
                CheckRun.snapshots(settings, settings.targets(), java.time.Duration.ofSeconds(30), true, clock), settings.targets());
        String json = ReportJson.JSON.writeValueAsString(ReportJson.document(
                io.mailwatchdog.health.Status.FAIL, reports, Instant.EPOCH));
        String table = ReportTable.render(io.mailwatchdog.health.Status.FAIL, reports);
        assertThat(json).contains("closed-port").doesNotContain(SECRET);
        assertThat(table).contains("closed-port").doesNotContain(SECRET);
        assertThat(ReportJson.JSON.writeValueAsString(reports.get(0).snapshot())).doesNotContain(SECRET);
    }

    @Test
    void theSecretNeverAppearsInDebugLogsOfAWrongPasswordAndAFailingSmtpServer() throws IOException {
        new FixtureOdoo(wire, "18").common("version", "version").common("authenticate", "authenticate_wrong_password");
        CliRun refused = run("-c", config("").toString(), "--debug", "check", "--format", "json");
        assertThat(refused.err()).contains("DEBUG"); // the debug log really was on
        wire.resetAll();
        new FixtureOdoo(wire, "18").healthyOdoo18()
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_two", 5)
                .executeOnId("ir.mail_server", "test_smtp_connection", 2, "test_smtp_connection_failure");
        CliRun failing = run("-c", config("").toString(), "--debug", "check", "--unpark");
        CliRun shown = run("-c", config("").toString(), "--debug", "config", "show");
        CliRun snapshot = run("-c", config("").toString(), "--debug", "snapshot");
        for (CliRun run : new CliRun[] {refused, failing, shown, snapshot}) {
            assertThat(run.all()).doesNotContain(SECRET);
        }
        assertThat(failing.out()).contains("FAIL    smtp.server-test");
        assertThat(shown.out()).contains("********");
        // the state files hold no secret either
        try (var files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void aBrokenConfigNamesFileLineAndKeyAndExits78() throws IOException {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "thresholds {\n  oldest-outgoing-warn = soon\n}\n"
                + "targets = [ { name = a, url = \"http://127.0.0.1:8069\", database = d, login = l } ]\n");
        CliRun run = run("-c", file.toString(), "check");
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.err()).contains("broken.conf:2").contains("oldest-outgoing-warn")
                .contains("broken.conf:4").contains("password");
        assertThat(run("-c", file.toString(), "config", "check").exit()).isEqualTo(78);
    }

    @Test
    void aProxys502IsAOneLineFailNamingTheUrl() throws IOException {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head></html>")));
        CliRun run = run("-c", config("").toString(), "check");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains("HTTP 502").contains("/xmlrpc/2/common");
        assertThat(run.all()).doesNotContain("\tat ");
    }

    @Test
    void aRunThatHitsItsTimeoutEndsUnknownWithExit3() throws IOException {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5000)
                .withBody(FixtureOdoo.captured("empty_list"))));
        long started = System.nanoTime();
        CliRun run = run("-c", config("").toString(), "check", "--timeout", "1s");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("UNKNOWN").contains("timeout of 1 s");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);
    }

    @Test
    void nagiosFormatPrintsAStatusLineAndPerfdata() throws IOException {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        CliRun run = run("-c", config("").toString(), "check", "--format", "nagios");
        assertThat(run.out()).startsWith("ODOO MAIL WARNING - prod WARN (queue.exceptions WARN: 3 mail(s) failed")
                .contains(" | ").contains("'prod_exception'=3")
                .contains("'prod_oldest_outgoing_age'=0s;900;3600");
        assertThat(run.out().lines().count()).isEqualTo(1);
    }

    @Test
    void targetLimitsConfigShowToThatTargetAndAnUnknownOneIsAConfigError() throws IOException {
        Path conf = dir.resolve("two.conf");
        Files.writeString(conf, "state-dir = \"" + dir.resolve("state") + "\"\ntargets = [\n"
                + " { name = prod, url = \"http://127.0.0.1:1\", database = a, login = l, password = " + SECRET + " }\n"
                + " { name = staging, url = \"http://127.0.0.1:2\", database = b, login = l, password = x }\n]\n");
        CliRun shown = run("-c", conf.toString(), "--target", "staging", "config", "show");
        assertThat(shown.exit()).isZero();
        assertThat(shown.out()).contains("staging").doesNotContain("prod").doesNotContain(SECRET);
        assertThat(run("-c", conf.toString(), "--target", "nope", "config", "check").exit()).isEqualTo(78);
        assertThat(run("-c", conf.toString(), "config", "check").out()).contains("configuration OK").contains("2 target(s)");
    }

    @Test
    void anUnknownTargetNameIsAConfigError() throws IOException {
        CliRun run = run("-c", config("").toString(), "--target", "nope", "check");
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.err()).contains("no target named 'nope'");
    }

    @Test
    void logsAreJsonLinesOnRequest() throws IOException {
        new FixtureOdoo(wire, "18").healthyOdoo18();
        CliRun run = run("-c", config("").toString(), "--debug", "--log-format", "json", "check", "--format", "json");
        java.util.List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode log = JSON.readTree(line);
            assertThat(log.get("level").asText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(log.has("message")).isTrue();
        }
        assertThat(JSON.readTree(run.out()).get("status").asText()).isEqualTo("WARN");
    }

    @Test
    void aSecretEchoedBackEscapedByAHostilePageIsMaskedInEveryFormat() throws IOException {
        // A proxy page that reflects the request puts the password into its title, XML-escaped.
        String secret = "Zq9Amp&Xyzq\"Kwtv\\Pw";
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>" + Redactor.xmlEscaped(secret) + "</title></head></html>")));
        Path file = dir.resolve("echo.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\ntargets = [ { name = prod, url = \"http://127.0.0.1:"
                + wire.getPort() + "\", database = d, login = l, password = \"" + secret.replace("\\", "\\\\").replace("\"", "\\\"") + "\" } ]\n");
        for (String format : new String[] {"table", "json", "nagios"}) {
            CliRun run = run("-c", file.toString(), "check", "--format", format);
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.all()).contains("********").doesNotContain("Zq9Amp").doesNotContain("Xyzq").doesNotContain("Kwtv");
        }
        assertThat(run("-c", file.toString(), "snapshot").all()).doesNotContain("Zq9Amp");
    }

    @Test
    void aRedirectSaysWhereTo() throws IOException {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(303)
                .withHeader("Location", "https://erp.example.com/web/login")));
        CliRun run = run("-c", config("").toString(), "check");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains("HTTP 303").contains("redirected to https://erp.example.com/web/login");
    }
}
