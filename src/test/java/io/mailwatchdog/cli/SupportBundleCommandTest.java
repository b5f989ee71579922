package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.history.LastProbe;
import io.mailwatchdog.history.ProbeHistory;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import io.mailwatchdog.testing.CliRun;
import io.mailwatchdog.testing.SampleReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `support-bundle` zips what a helper needs from state-dir, and nothing that must not leave the machine: no
 * secret, no mail body, nothing of state-dir/archive.
 */
class SupportBundleCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "Bundl3-Pa55w0rd";
    static final String TOKEN = "http-t0ken-4f9a2c";
    static final String WEBHOOK = "https://hooks.example.com/services/T0001/B0002/webh00kS3cret";
    static final String ARCHIVE_MARKER = "ARCHIVED-RESET-LINK-7c1e";
    static final String BODY_MARKER = "MAIL-BODY-TEXT-93ab";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path state;

    @BeforeEach
    void config() throws IOException {
        state = dir.resolve("state");
        Files.writeString(dir.resolve("watchdog.conf"), """
                state-dir = "%s"
                http { token = "%s" }
                alerts { webhooks = [ { name = ops, url = "%s" } ] }
                targets = [
                  { name = shop, url = "http://127.0.0.1:1", database = shop, login = admin, password = "%s" }
                  { name = books, url = "http://127.0.0.1:2", database = books, login = admin, password = other-pass }
                ]
                """.formatted(state, TOKEN, WEBHOOK, PASSWORD));
    }

    Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** What a daemon would have left in state-dir for shop, with secrets and mail content where they must not spread from. */
    void daemonState() throws IOException {
        // the last probe, with a partial error in which a hostile server echoed the password
        TargetReport stalled = SampleReports.stalled("shop", NOW.minusSeconds(30));
        Snapshot s = stalled.snapshot();
        Snapshot echoed = new Snapshot(s.target(), s.takenAt(), s.duration(), s.requests(), s.odooVersion(), s.failure(),
                s.queue(), s.scheduler(), s.servers(), s.database(), List.of("a proxy answered: bad password " + PASSWORD));
        LastProbe.save(state, TargetReport.of(echoed, stalled.findings()), NOW.minusSeconds(30), UnaryOperator.identity());
        // 10 days of history, one probe an hour: 7 days' worth (169 lines) go in
        ProbeHistory history = ProbeHistory.open(state, "shop", at(NOW));
        for (int h = 240; h >= 0; h--) {
            history.probe(SampleReports.stalled("shop", NOW.minus(Duration.ofHours(h))));
        }
        ProbeHistory.open(state, "shop", at(NOW)).event("circuit opened", "chunk 2: 3 of 5 failed", Map.of("chunk", 2));
        // the journal, with an intent whose details (wrongly) carry a mail's content
        Journal journal = Journal.open(state, "shop", at(NOW.minusSeconds(600)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("phase", "canary");
        details.put("body_html", "<p>" + BODY_MARKER + "</p>");
        details.put("subject", "Reset your password " + BODY_MARKER);
        long seq = journal.intent("retry.requeue", "TRANSPORT failures retried", "queue.exceptions", List.of(838, 839),
                details);
        journal.outcome(seq, Outcome.DONE, "requeued", Map.of("requeued", 2));
        // what the SMTP test job remembers
        new SmtpTestMemory(new StateFiles(state)).save("shop", Map.of("127.0.0.1:2599:relay-user:none:login@2026-11-20",
                new SmtpTestMemory.Result("FAIL", "TRANSPORT", "connection refused (errno 111)", NOW.minusSeconds(60))));
        // an archive of cancelled mail: password-reset links
        Path archive = state.resolve("archive/shop/2026-11-23T11-00-00Z-stale.cancel.jsonl");
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "{\"id\":838,\"body_html\":\"https://shop.example.com/web/reset_password?token="
                + ARCHIVE_MARKER + "\"}\n");
    }

    Path logFile() throws IOException {
        return Files.writeString(dir.resolve("daemon.log"), """
                2026-11-23 11:58:00.000 INFO  Daemon - daemon started: 2 target(s)
                2026-11-23 11:59:00.000 WARN  Alerter - webhook %s answered 500
                2026-11-23 11:59:30.000 WARN  ProbeJob - probe job of shop failed: login with %s refused; token %s
                """.formatted(WEBHOOK, PASSWORD, TOKEN));
    }

    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = dir.resolve("watchdog.conf").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.at(at(NOW), all);
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(file.entries())) {
                out.put(e.getName(), file.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    static String text(Map<String, byte[]> entries, String name) {
        return new String(entries.get(name), StandardCharsets.UTF_8);
    }

    @Test
    void theBundleHoldsEachListedFileAndOnlyItsOwnerCanReadIt() throws IOException {
        daemonState();
        Path zip = dir.resolve("bundle.zip");

        CliRun run = run("support-bundle", "--target", "shop", "--output", zip.toString(), "--log-file", logFile().toString());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).startsWith("wrote " + zip.toAbsolutePath() + " (10 files, ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip))).isEqualTo("rw-------");
        Map<String, byte[]> entries = entries(zip);
        assertThat(entries.keySet()).containsExactly("config.txt", "last-snapshot.json", "findings.json",
                "failure-signatures.txt", "smtp-tests.json", "scheduler.json", "history.jsonl", "journal.jsonl",
                "daemon.log", "README.txt");

        assertThat(text(entries, "config.txt")).contains("name=shop").doesNotContain("books");
        JsonNode last = JSON.readTree(entries.get("last-snapshot.json"));
        assertThat(last.get("savedAt").asText()).isEqualTo("2026-11-23T11:59:30Z");
        assertThat(last.get("snapshot").get("queue").get("due").asInt()).isEqualTo(58);
        JsonNode findings = JSON.readTree(entries.get("findings.json"));
        assertThat(findings.get("status").asText()).isEqualTo("FAIL");
        assertThat(findings.get("findings")).hasSize(5);
        assertThat(findings.get("findings").get(1).get("check").asText()).isEqualTo("scheduler.active");
        assertThat(text(entries, "failure-signatures.txt"))
                .contains("exceptions: 9 in the queue, 7 failed in the last hour, 9 in 24 h; signatures of the latest 9 (at most 200 read)")
                .contains("TRANSPORT       7  2026-11-23T09:00:00Z  2026-11-23T11:00:00Z  838, 839, 840, 841, 842, 843, 844")
                .contains("    111\n    Connection refused\n")
                .contains("RECIPIENT       2");
        JsonNode smtp = JSON.readTree(entries.get("smtp-tests.json"));
        assertThat(smtp.get("servers").get(0).get("test").get("detail").asText()).isEqualTo("connection refused (errno 111)");
        assertThat(smtp.get("remembered").get("127.0.0.1:2599:relay-user:none:login@2026-11-20").get("outcome").asText())
                .isEqualTo("FAIL");
        JsonNode scheduler = JSON.readTree(entries.get("scheduler.json"));
        assertThat(scheduler.get("scheduler").get("active").asBoolean()).isFalse();
        assertThat(scheduler.get("scheduler").get("id").asInt()).isEqualTo(3);
        List<String> history = text(entries, "history.jsonl").lines().toList();
        assertThat(history).as("the last 7 days: 169 hourly probes and the event").hasSize(170);
        assertThat(JSON.readTree(history.get(0)).get("at").asText()).isEqualTo("2026-11-16T12:00:00Z");
        assertThat(JSON.readTree(history.get(169)).get("kind").asText()).isEqualTo("circuit opened");
        List<String> journal = text(entries, "journal.jsonl").lines().toList();
        assertThat(journal).hasSize(2);
        assertThat(JSON.readTree(journal.get(1)).get("details").get("requeued").asInt()).isEqualTo(2);
        assertThat(text(entries, "daemon.log").lines()).hasSize(3);
        String readme = text(entries, "README.txt");
        assertThat(readme).contains("target:  shop").contains("made at: 2026-11-23T12:00:00Z");
        for (String name : entries.keySet()) {
            assertThat(readme).contains("  " + name + " ");
        }
        assertThat(readme).contains("state-dir/archive").doesNotContain("Not in this bundle");
    }

    @Test
    void noEntryHoldsThePasswordTheHttpTokenOrTheWebhookUrlByteForByte() throws IOException {
        daemonState();
        Path zip = dir.resolve("bundle.zip");

        CliRun run = run("support-bundle", "--target", "shop", "--output", zip.toString(), "--log-file", logFile().toString());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(WEBHOOK);
        byte[] whole = Files.readAllBytes(zip);
        Map<String, byte[]> entries = entries(zip);
        for (String secret : List.of(PASSWORD, TOKEN, WEBHOOK, "webh00kS3cret")) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(whole, bytes)).as("%s in the zip file", secret).isEqualTo(-1);
            entries.forEach((name, content) ->
                    assertThat(indexOf(content, bytes)).as("%s in %s", secret, name).isEqualTo(-1));
        }
        assertThat(text(entries, "config.txt")).contains("password=\"********\"").contains("token=\"********\"")
                .contains("url=\"********\"");
        assertThat(text(entries, "last-snapshot.json")).contains("bad password ********");
        assertThat(text(entries, "daemon.log")).contains("webhook ******** answered 500").contains("login with ******** refused");
    }

    @Test
    void nothingOfTheArchiveAndNoMailBodyIsInTheBundle() throws IOException {
        daemonState();
        Path zip = dir.resolve("bundle.zip");

        assertThat(run("support-bundle", "--target", "shop", "--output", zip.toString()).exit()).isZero();

        Map<String, byte[]> entries = entries(zip);
        for (String marker : List.of(ARCHIVE_MARKER, BODY_MARKER, "reset_password")) {
            byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
            entries.forEach((name, content) -> assertThat(indexOf(content, bytes)).as("%s in %s", marker, name).isEqualTo(-1));
        }
        assertThat(entries.keySet()).noneMatch(name -> name.contains("archive"));
        JsonNode intent = JSON.readTree(text(entries, "journal.jsonl").lines().findFirst().orElseThrow());
        assertThat(intent.get("details").get("phase").asText()).as("the rest of the record stays").isEqualTo("canary");
        assertThat(intent.get("details").has("body_html")).isFalse();
        assertThat(intent.get("details").has("subject")).isFalse();
    }

    @Test
    void withoutLogFileTheBundleSaysWhereLogsAreAndHasNoLogEntry() throws IOException {
        daemonState();
        Path zip = dir.resolve("bundle.zip");

        CliRun run = run("support-bundle", "--target", "shop", "--output", zip.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("not in it: daemon.log (README.txt says why)");
        Map<String, byte[]> entries = entries(zip);
        assertThat(entries).doesNotContainKey("daemon.log").hasSize(9);
        assertThat(text(entries, "README.txt")).contains("Not in this bundle")
                .contains("daemon.log              no --log-file was given (the daemon logs to stdout/journald)");
    }

    @Test
    void aTargetWithOnlyAJournalGetsTheJournalAndTheReasonsForTheRest() throws IOException {
        Journal.open(state, "books", at(NOW)).intent("cron.revive", "inactive", "scheduler.active", List.of(3), null);
        Path zip = dir.resolve("books.zip");

        CliRun run = run("--target", "books", "support-bundle", "--output", zip.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        Map<String, byte[]> entries = entries(zip);
        assertThat(entries.keySet()).containsExactly("config.txt", "journal.jsonl", "README.txt");
        assertThat(text(entries, "README.txt"))
                .contains("last-snapshot.json      state-dir/last holds no probe of this target")
                .contains("history.jsonl           state-dir/history holds no history of this target");
    }

    @Test
    void aTargetWithoutAnyStateExits2AndSaysWhy() throws IOException {
        daemonState();
        Path zip = dir.resolve("books.zip");

        CliRun run = run("support-bundle", "--target", "books", "--output", zip.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.FAIL);
        assertThat(run.err()).contains("no state of target books in " + state)
                .contains("The daemon (run) writes them; check does not");
        assertThat(zip).doesNotExist();
    }

    @Test
    void severalTargetsNeedTarget() {
        CliRun run = run("support-bundle");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run.err()).contains("add --target NAME (one of [shop, books])");
    }

    @Test
    void anUnreadableLogFileOrOutputIsAnErrorAndWritesNothing() throws IOException {
        daemonState();
        CliRun noLog = run("support-bundle", "--target", "shop", "--output", dir.resolve("a.zip").toString(),
                "--log-file", dir.resolve("absent.log").toString());
        assertThat(noLog.exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(noLog.err()).contains("cannot read the log file given by --log-file");
        CliRun noDir = run("support-bundle", "--target", "shop", "--output", dir.resolve("absent/a.zip").toString());
        assertThat(noDir.exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(noDir.err()).contains("cannot write the support bundle");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".zip") || n.endsWith(".tmp"));
        }
    }

    @Test
    void anInvalidConfigExits78() throws IOException {
        Files.writeString(dir.resolve("watchdog.conf"), "targets = [ { name = shop } ]\n");
        assertThat(run("support-bundle", "--target", "shop").exit()).isEqualTo(ExitCodes.CONFIG);
    }

    @Test
    void theDefaultNameSaysTargetAndUtcTime() {
        assertThat(SupportBundleCommand.defaultName("shop", NOW))
                .isEqualTo("odoo-mail-watchdog-bundle-shop-20261123T120000Z.zip");
    }

    static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
