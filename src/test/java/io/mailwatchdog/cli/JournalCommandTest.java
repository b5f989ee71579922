package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `journal` lists what the watchdog wrote to Odoo, from state-dir only, and never shows a secret. */
class JournalCommandTest {

    static final String SECRET = "J0urnal-s3cret-Pa55";
    static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path config() throws IOException {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\ntargets = [\n"
                + " { name = prod, url = \"http://127.0.0.1:1\", database = d, login = l, password = \"" + SECRET + "\" }\n"
                + " { name = staging, url = \"http://127.0.0.1:2\", database = s, login = l, password = x }\n]\n");
        return file;
    }

    Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    /** What a daemon would have written: a revived scheduler on prod, a flush on staging still open. */
    void someHistory() throws IOException {
        Path state = dir.resolve("state");
        Journal prod = Journal.open(state, "prod", at("2026-11-23T00:50:00Z"));
        long revive = prod.intent("revive-scheduler", "mail scheduler inactive", "scheduler.active", List.of(12),
                Map.of("active", false));
        Journal.open(state, "prod", at("2026-11-23T00:50:01Z"))
                .outcome(revive, Outcome.DONE, "active = true", Map.of("active", true));
        Journal.open(state, "staging", at("2026-11-23T00:55:00Z"))
                .intent("flush", "3 mails due for more than 5 min", "queue.oldest-outgoing", List.of(101, 102, 103), null);
    }

    CliRun run(String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = config().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.at(Clock.fixed(NOW, ZoneOffset.UTC), all);
    }

    @Test
    void theTableListsEveryTargetsRecordsOldestFirst() throws IOException {
        someHistory();
        CliRun run = run("journal");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                SEQ  TIME                  TARGET   TYPE     ACTION            IDS          WHAT
                1    2026-11-23T00:50:00Z  prod     intent   revive-scheduler  12           mail scheduler inactive [scheduler.active]
                2    2026-11-23T00:50:01Z  prod     outcome  revive-scheduler  12           done (intent 1): active = true
                1    2026-11-23T00:55:00Z  staging  intent   flush             101,102,103  3 mails due for more than 5 min [queue.oldest-outgoing]
                """);
    }

    @Test
    void jsonIsAnArrayOfTheRecords() throws IOException {
        someHistory();
        CliRun run = run("--target", "prod", "journal", "--format", "json");
        assertThat(run.exit()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.isArray()).isTrue();
        assertThat(doc).hasSize(2);
        JsonNode outcome = doc.get(1);
        assertThat(outcome.get("seq").asLong()).isEqualTo(2);
        assertThat(outcome.get("at").asText()).isEqualTo("2026-11-23T00:50:01Z");
        assertThat(outcome.get("target").asText()).isEqualTo("prod");
        assertThat(outcome.get("type").asText()).isEqualTo("outcome");
        assertThat(outcome.get("intentSeq").asLong()).isEqualTo(1);
        assertThat(outcome.get("outcome").asText()).isEqualTo("done");
        assertThat(outcome.get("details").get("active").asBoolean()).isTrue();
        assertThat(doc.get(0).get("ids").get(0).asInt()).isEqualTo(12);
    }

    @Test
    void actionSinceAndLimitNarrowTheList() throws IOException {
        someHistory();
        assertThat(run("journal", "--action", "flush").out()).contains("staging").doesNotContain("revive-scheduler");
        assertThat(run("journal", "--since", "2026-11-23T00:50:01Z").out()).doesNotContain("mail scheduler inactive")
                .contains("done (intent 1)").contains("staging");
        // 8 minutes before 01:00 is 00:52: only staging's flush
        assertThat(run("journal", "--since", "8m", "--format", "json").out()).contains("\"flush\"")
                .doesNotContain("revive-scheduler");
        CliRun last = run("journal", "--limit", "1");
        assertThat(last.out().lines()).hasSize(2);
        assertThat(last.out()).contains("staging");
    }

    @Test
    void anEmptyJournalSaysSo() throws IOException {
        CliRun run = run("journal");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("no journal records for prod, staging in ").contains("journal");
        assertThat(run("journal", "--format", "json").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void aBadSinceIsRefusedWithItsForm() throws IOException {
        CliRun run = run("journal", "--since", "yesterday");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run.err()).contains("2026-11-23T00:00:00Z").contains("24h");
    }

    @Test
    void anInvalidConfigExits78() throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "targets = [ { name = prod } ]\n");
        CliRun run = CliRun.of("-c", bad.toString(), "journal");
        assertThat(run.exit()).isEqualTo(ExitCodes.CONFIG);
    }

    @Test
    void theSecretIsNeverInTheJournalNorInItsListing() throws IOException {
        someHistory();
        String table = run("journal").all();
        String json = run("journal", "--format", "json").all();
        assertThat(table).doesNotContain(SECRET);
        assertThat(json).doesNotContain(SECRET);
        for (String target : List.of("prod", "staging")) {
            assertThat(Files.readString(Journal.file(dir.resolve("state"), target))).doesNotContain(SECRET);
        }
    }

    @Test
    void showPrintsAnIntentWithItsOutcomeAndSaysWhenTheOutcomeIsMissing() throws IOException {
        someHistory();

        CliRun done = run("--target", "prod", "journal", "show", "1");
        assertThat(done.exit()).as(done.all()).isZero();
        assertThat(done.out()).contains("1  2026-11-23T00:50:00Z  intent  revive-scheduler")
                .contains("2  2026-11-23T00:50:01Z  outcome  revive-scheduler  done (intent 1): active = true")
                .contains("\"seq\" : 2");
        assertThat(done.out()).doesNotContain(SECRET);

        CliRun open = run("--target", "staging", "journal", "show", "1");
        assertThat(open.exit()).as(open.all()).isZero();
        assertThat(open.out()).contains("no outcome yet");

        CliRun missing = run("--target", "prod", "journal", "show", "99");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no record 99");
    }

    @Test
    void exportWritesEveryRecordAsOneJsonArrayToStdoutOrAPrivateFile() throws IOException {
        someHistory();

        CliRun stdout = run("journal", "export");
        assertThat(stdout.exit()).as(stdout.all()).isZero();
        JsonNode all = JSON.readTree(stdout.out());
        assertThat(all).hasSize(3);
        assertThat(all.get(2).path("target").asText()).isEqualTo("staging");

        Path file = dir.resolve("export.json");
        CliRun toFile = run("journal", "export", "--since", "2026-11-23T00:52:00Z", "--output", file.toString());
        assertThat(toFile.exit()).as(toFile.all()).isZero();
        assertThat(JSON.readTree(file.toFile())).singleElement().satisfies(r -> assertThat(r.path("action").asText())
                .isEqualTo("flush"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain(SECRET);

        CliRun list = run("journal", "list", "--action", "flush");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("flush").doesNotContain("revive-scheduler");
    }
}
