package io.mailwatchdog.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mailwatchdog.report.Redactor;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.Thresholds;
import io.mailwatchdog.health.Evaluator;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.AgeBucket;
import io.mailwatchdog.probe.DatabaseSnapshot;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints over real HTTP on a free port. */
class HttpEndpointsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Thresholds T = new Thresholds(Duration.ofMinutes(15), Duration.ofMinutes(60), Duration.ofMinutes(10),
            Duration.ofMinutes(60), 1, 50, 1, 3);
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final WatchdogMetrics metrics = new WatchdogMetrics();
    final StatusBoard board = new StatusBoard(metrics);
    final AtomicBoolean schedulerAlive = new AtomicBoolean(true);
    HttpEndpoints http;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(Duration.ZERO);
        }
    }

    HttpEndpoints start(Secret token, Redactor redactor) throws IOException {
        http = new HttpEndpoints(board, metrics, "127.0.0.1", 0, token, schedulerAlive::get,
                redactor == null ? null : redactor::apply, Clock.fixed(NOW, ZoneOffset.UTC)).start();
        return http;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Snapshot backlogged(String target) {
        QueueSnapshot q = new QueueSnapshot(new MailStateCounts(Map.of("outgoing", 3, "sent", 40, "exception", 5)), 3, 7,
                2 * 3600, List.of(new AgeBucket("0-5m", 0, 300, 1), new AgeBucket("1h+", 3600, -1, 2)), 5, 5, 5, 200,
                List.of(new FailureSignatureGroup("535 Username and Password not accepted", FailureClass.AUTH, 4,
                        NOW.minusSeconds(600), NOW, List.of(1, 2)),
                        new FailureSignatureGroup("421 try later", FailureClass.RATE_LIMIT, 1, NOW, NOW, List.of(3))));
        SchedulerSnapshot c = new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", false, NOW.minusSeconds(1200),
                NOW.minusSeconds(3600), "1 minutes", 60, null, 2, NOW.minus(Duration.ofDays(1)), 1200);
        List<ServerSnapshot> servers = List.of(
                new ServerSnapshot(1, "main", "smtp.example.com", 587, "u", "starttls", 10, null,
                        new ServerSnapshot.SmtpTest("PASS", null, "ok", NOW, null)),
                new ServerSnapshot(2, "backup", "smtp2.example.com", 587, "u", "starttls", 20, null,
                        new ServerSnapshot.SmtpTest("FAIL", "AUTH", "535", NOW, null)),
                new ServerSnapshot(3, "unverified", "smtp3.example.com", 587, "u", "starttls", 30, null,
                        new ServerSnapshot.SmtpTest("INCONCLUSIVE", "RECIPIENT", "?", NOW, null)));
        return new Snapshot(target, NOW, Duration.ofMillis(250), 11, "18.0", null, q, c, servers,
                new DatabaseSnapshot(false, List.of()), List.of());
    }

    static Snapshot unreachable(String target, String message) {
        return new Snapshot(target, NOW, Duration.ofMillis(30), 1, null, new ProbeFailure("unreachable", message), null,
                null, List.of(), null, List.of());
    }

    /** name{sorted labels} -> value, for the samples of the text format. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            String labels = key.contains("{") ? key.substring(key.indexOf('{') + 1, key.lastIndexOf('}')) : "";
            List<String> sorted = labels.isEmpty() ? List.of()
                    : java.util.Arrays.stream(labels.split(",(?=[a-z_]+=\")")).sorted().toList();
            out.put(name + "{" + String.join(",", sorted) + "}", Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    @Test
    void healthzFollowsTheSchedulerAndNeedsNoToken() throws Exception {
        start(Secret.inline("tok-123456"), null);
        HttpResponse<String> ok = get("/healthz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        schedulerAlive.set(false);
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
    }

    @Test
    void readyzIs503UntilMarkedReadyWhateverOdooSays() throws Exception {
        start(Secret.inline("tok-123456"), null);
        board.publish(Evaluator.evaluate(backlogged("prod"), T), Duration.ofMillis(250));
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        board.markReady();
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        board.publish(Evaluator.evaluate(unreachable("prod", "connection refused"), T), Duration.ofMillis(30));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCarryEveryNameWithItsLabelsAfterAPublish() throws Exception {
        start(null, null);
        board.publish(Evaluator.evaluate(backlogged("prod"), T), Duration.ofMillis(1500));
        board.probeError("prod", "timeout");
        board.probeError("prod", "timeout");
        board.action("prod", "revive", "done");
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> m = samples(r.body());
        assertThat(m).containsEntry("odoo_up{target=\"prod\"}", 1.0)
                .containsEntry("odoo_mail_messages{state=\"outgoing\",target=\"prod\"}", 3.0)
                .containsEntry("odoo_mail_messages{state=\"sent\",target=\"prod\"}", 40.0)
                .containsEntry("odoo_mail_messages{state=\"cancel\",target=\"prod\"}", 0.0)
                .containsEntry("odoo_mail_oldest_outgoing_age_seconds{target=\"prod\"}", 7200.0)
                .containsEntry("odoo_mail_outgoing_messages_by_age{age=\"0-5m\",target=\"prod\"}", 1.0)
                .containsEntry("odoo_mail_outgoing_messages_by_age{age=\"1h+\",target=\"prod\"}", 2.0)
                .containsEntry("odoo_mail_exceptions_sampled{class=\"AUTH\",target=\"prod\"}", 4.0)
                .containsEntry("odoo_mail_exceptions_sampled{class=\"RATE_LIMIT\",target=\"prod\"}", 1.0)
                .containsEntry("odoo_mail_exceptions_sampled{class=\"TLS\",target=\"prod\"}", 0.0)
                .containsEntry("odoo_mail_scheduler_active{target=\"prod\"}", 0.0)
                .containsEntry("odoo_mail_scheduler_overdue_seconds{target=\"prod\"}", 1200.0)
                .containsEntry("odoo_mail_scheduler_failure_count{target=\"prod\"}", 2.0)
                .containsEntry("odoo_mail_smtp_test_success{server=\"main\",target=\"prod\"}", 1.0)
                .containsEntry("odoo_mail_smtp_test_success{server=\"backup\",target=\"prod\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_actions_total{action=\"revive\",outcome=\"done\",target=\"prod\"}", 1.0)
                .containsEntry("odoo_mail_probe_duration_seconds{target=\"prod\"}", 1.5)
                .containsEntry("odoo_mail_probe_errors_total{kind=\"timeout\",target=\"prod\"}", 2.0)
                .doesNotContainKey("odoo_mail_smtp_test_success{server=\"unverified\",target=\"prod\"}");
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
    }

    @Test
    void alertSeriesExistPerWebhookFromTheStartAndCountEachOutcome() throws Exception {
        start(null, null);
        metrics.alertWebhook("slack");
        Map<String, Double> before = samples(get("/metrics").body());
        assertThat(before).containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"delivered\",webhook=\"slack\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"failed\",webhook=\"slack\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"dropped\",webhook=\"slack\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_alert_attempts_total{webhook=\"slack\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_alerts_queued{webhook=\"slack\"}", 0.0);
        metrics.alertAttempt("slack");
        metrics.alertAttempt("slack");
        metrics.alertOutcome("slack", "delivered");
        metrics.alertOutcome("slack", "dropped");
        metrics.alertsQueued("slack", 3);
        board.publish(Evaluator.evaluate(backlogged("prod"), T), Duration.ofMillis(250));
        board.forget("prod");
        Map<String, Double> after = samples(get("/metrics").body());
        assertThat(after).containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"delivered\",webhook=\"slack\"}", 1.0)
                .containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"dropped\",webhook=\"slack\"}", 1.0)
                .containsEntry("odoo_mail_watchdog_alerts_total{outcome=\"failed\",webhook=\"slack\"}", 0.0)
                .containsEntry("odoo_mail_watchdog_alert_attempts_total{webhook=\"slack\"}", 2.0)
                .containsEntry("odoo_mail_watchdog_alerts_queued{webhook=\"slack\"}", 3.0);
    }

    @Test
    void anUnreachableTargetIsDownAndItsStaleSeriesGo() throws Exception {
        start(null, null);
        board.publish(Evaluator.evaluate(backlogged("prod"), T), Duration.ofMillis(250));
        board.publish(Evaluator.evaluate(unreachable("prod", "connection refused"), T), Duration.ofMillis(30));
        Map<String, Double> m = samples(get("/metrics").body());
        assertThat(m).containsEntry("odoo_up{target=\"prod\"}", 0.0)
                .containsEntry("odoo_mail_probe_duration_seconds{target=\"prod\"}", 0.03);
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("odoo_mail_messages{")
                || k.startsWith("odoo_mail_scheduler_active{") || k.startsWith("odoo_mail_smtp_test_success{")
                || k.startsWith("odoo_mail_oldest_outgoing_age_seconds{"));
    }

    @Test
    void statusFollowsTheCheckSchemaAndListsTheLastActions() throws Exception {
        start(null, null);
        board.publish(Evaluator.evaluate(backlogged("prod"), T), Duration.ofMillis(250));
        board.publish(Evaluator.evaluate(unreachable("staging", "connection refused"), T), Duration.ofMillis(30));
        board.recordAction("prod", "revive", "done", NOW.minusSeconds(5), "active set back to true");
        board.recordAction("prod", "flush", "skipped", NOW, null);
        HttpResponse<String> r = get("/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("status").asText()).isEqualTo("FAIL");
        assertThat(doc.get("generatedAt").asText()).isEqualTo(NOW.toString());
        assertThat(doc.get("targets")).hasSize(2);
        assertThat(doc.get("lastActions")).hasSize(2);
        assertThat(doc.get("lastActions").get(0).get("action").asText()).isEqualTo("flush");
        assertThat(doc.get("lastActions").get(1).get("detail").asText()).isEqualTo("active set back to true");

        ObjectNode published = (ObjectNode) JSON.readTree(Files.readString(Path.of("docs", "check-output.schema.json")));
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        wrapper.put("$ref", "#/$defs/target");
        wrapper.set("$defs", published.get("$defs"));
        JsonSchema target = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(wrapper);
        for (JsonNode t : doc.get("targets")) {
            Set<ValidationMessage> errors = target.validate(t);
            assertThat(errors).as(t.get("target").asText()).isEmpty();
        }
    }

    @Test
    void beforeAnyProbeTheStatusIsUnknownAndThePageSaysSo() throws Exception {
        start(null, null);
        assertThat(JSON.readTree(get("/status").body()).get("status").asText()).isEqualTo("UNKNOWN");
        assertThat(get("/").body()).contains("No target probed yet");
    }

    @Test
    void theTokenGuardsAllButHealthAndReadiness() throws Exception {
        start(Secret.inline("tok-123456"), null);
        board.markReady();
        for (String path : List.of("/", "/status", "/metrics", "/nowhere")) {
            HttpResponse<String> none = get(path);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
            assertThat(get(path, "Authorization", "Bearer wrong-token").statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Authorization", "Basic dG9rLTEyMzQ1Ng==").statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/", "/status", "/metrics")) {
            assertThat(get(path, "Authorization", "Bearer tok-123456").statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/nowhere", "Authorization", "Bearer tok-123456").statusCode()).isEqualTo(404);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        start(null, null);
        HttpResponse<String> post = send("POST", "/status");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("DELETE", "/healthz").statusCode()).isEqualTo(405);
        HttpResponse<String> head = send("HEAD", "/status");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void thePageRefreshesItselfAndEscapesHostileText() throws Exception {
        start(null, null);
        String hostile = "<script>alert('x')</script>";
        board.publish(Evaluator.evaluate(backlogged(hostile), T), Duration.ofMillis(250));
        board.publish(Evaluator.evaluate(unreachable("staging", "<img src=x onerror=\"alert(1)\">"), T), Duration.ZERO);
        board.recordAction(hostile, "flush", "done", NOW, "<b>bold</b>");
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("<meta http-equiv=\"refresh\" content=\"30\">")
                .doesNotContain("<script>", "<img", "<b>bold")
                .contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;", "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;")
                .contains("3 due, the oldest waiting", "inactive", "backup", "FAIL");
        // PASS findings are not listed, the others are.
        assertThat(r.body()).doesNotContain(">PASS</span> ");
    }

    @Test
    void noConfiguredSecretLeavesInAnyResponse() throws Exception {
        String secret = "Pa55-<word>&'very\"secret";
        Path config = Files.writeString(dir.resolve("watchdog.conf"), """
                state-dir = "%s"
                targets = [ { name = prod, url = "https://a.example.com", database = d, login = l, password-file = pw } ]
                """.formatted(dir.resolve("state").toString().replace("\\", "/")));
        Files.writeString(dir.resolve("pw"), secret);
        Settings settings = SettingsLoader.load(Optional.of(config), Map.of());
        Secret token = Secret.inline("tok-123456");
        List<Secret> secrets = new java.util.ArrayList<>(settings.targets().stream().map(t -> t.secret()).toList());
        secrets.add(token);
        start(token, new Redactor(secrets));
        // A hostile server echoes the password back: in a probe error, a server name and an action's detail.
        board.publish(Evaluator.evaluate(unreachable("prod", "login " + secret + " refused"), T), Duration.ZERO);
        Snapshot s = backlogged("other");
        Snapshot echoed = new Snapshot("other", s.takenAt(), s.duration(), s.requests(), s.odooVersion(), null, s.queue(),
                s.scheduler(), List.of(new ServerSnapshot(9, "srv " + secret, "h", 25, "u", "none", 1, null,
                new ServerSnapshot.SmtpTest("FAIL", "AUTH", secret, NOW, null))), s.database(), List.of());
        board.publish(Evaluator.evaluate(echoed, T), Duration.ZERO);
        board.recordAction("prod", "flush", "failed", NOW, "fault: " + secret);
        board.markReady();
        for (String path : List.of("/", "/status", "/metrics", "/healthz", "/readyz")) {
            String body = get(path, "Authorization", "Bearer tok-123456").body();
            assertThat(body).as(path).doesNotContain(secret, "Pa55-", "tok-123456");
        }
        assertThat(get("/status", "Authorization", "Bearer tok-123456").body()).contains("********");
    }

    @Test
    void stopFreesThePort() throws Exception {
        start(null, null);
        int port = http.port();
        http.stop();
        http = null;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
