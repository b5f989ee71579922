package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.history.ProbeHistory;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `report` tells a window's story from a hand-written probe history and journal: a scheduler that stopped at
 * 10:10, was revived, a flush, a retry behind a circuit, stale mail cancelled and purged, an unreachable Odoo.
 */
class ReportCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T13:00:00Z");
    static final String PASSWORD = "Rep0rt-Pa55word";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALL_PASS = checks("PASS", "PASS", "PASS", "PASS", "PASS");

    @TempDir
    Path dir;

    Path state;

    @BeforeEach
    void config() throws IOException {
        state = dir.resolve("state");
        Files.writeString(dir.resolve("watchdog.conf"), """
                state-dir = "%s"
                targets = [
                  { name = shop, url = "http://127.0.0.1:1", database = shop, login = admin, password = "%s" }
                  { name = books, url = "http://127.0.0.1:2", database = books, login = admin, password = other-pass }
                ]
                """.formatted(state, PASSWORD));
    }

    /** The checks of a probe line: reachable, scheduler, oldest outgoing, exceptions, server test. */
    static String checks(String reachable, String scheduler, String oldest, String exceptions, String server) {
        return "{\"odoo.reachable\":\"%s\",\"scheduler.active\":\"%s\",\"queue.oldest-outgoing\":\"%s\",\"queue.exceptions\":\"%s\",\"smtp.server-test\":\"%s\"}"
                .formatted(reachable, scheduler, oldest, exceptions, server);
    }

    static String probe(String time, String status, String checks, int outgoing, int exception, int due, long oldest,
                        int lastHour) {
        return ("{\"at\":\"2026-11-23T%s:00Z\",\"target\":\"shop\",\"type\":\"probe\",\"status\":\"%s\",\"checks\":%s,"
                + "\"queue\":{\"counts\":{\"outgoing\":%d,\"sent\":100,\"received\":0,\"exception\":%d,\"cancel\":0},"
                + "\"due\":%d,\"oldestDueAgeSeconds\":%d,\"exceptionsLastHour\":%d,\"signatures\":[]}}")
                .formatted(time, status, checks, outgoing, exception, due, oldest, lastHour);
    }

    static String event(String time, String kind, String text) {
        return "{\"at\":\"2026-11-23T%s:00Z\",\"target\":\"shop\",\"type\":\"event\",\"kind\":\"%s\",\"text\":\"%s\"}"
                .formatted(time, kind, text);
    }

    static int seq;

    static String intent(String time, String action, String ids, String details) {
        seq++;
        return ("{\"seq\":%d,\"at\":\"2026-11-23T%s:00Z\",\"target\":\"shop\",\"type\":\"intent\",\"action\":\"%s\","
                + "\"reason\":\"why\",\"ids\":[%s],\"details\":{%s}}").formatted(seq, time, action, ids, details);
    }

    static String outcome(String time, String action, int intentSeq, String outcome, String details) {
        seq++;
        return ("{\"seq\":%d,\"at\":\"2026-11-23T%s:00Z\",\"target\":\"shop\",\"type\":\"outcome\",\"action\":\"%s\","
                + "\"intentSeq\":%d,\"outcome\":\"%s\",\"message\":\"m\",\"details\":{%s}}")
                .formatted(seq, time, action, intentSeq, outcome, details);
    }

    void handWrittenHistoryAndJournal() throws IOException {
        List<String> history = List.of(
                probe("09:50", "PASS", ALL_PASS, 2, 1, 0, 0, 0),
                probe("10:00", "PASS", ALL_PASS, 2, 1, 0, 0, 0),
                probe("10:10", "FAIL", checks("PASS", "FAIL", "WARN", "PASS", "PASS"), 30, 1, 30, 1200, 0),
                probe("10:20", "FAIL", checks("PASS", "FAIL", "FAIL", "WARN", "FAIL"), 45, 6, 45, 2400, 5),
                "{\"at\":\"2026-11-23T10:2",
                event("10:25", "circuit opened", "canary: 3 of 5 failed"),
                probe("10:30", "FAIL", checks("PASS", "PASS", "FAIL", "WARN", "PASS"), 45, 6, 45, 3000, 5),
                probe("10:40", "WARN", checks("PASS", "PASS", "PASS", "WARN", "PASS"), 0, 6, 0, 0, 5),
                event("10:45", "circuit closed", ""),
                probe("10:50", "WARN", checks("PASS", "PASS", "PASS", "WARN", "PASS"), 0, 2, 0, 0, 2),
                event("10:55", "retry paused: daily quota reached", "500 of 500 sent today"),
                probe("11:00", "PASS", ALL_PASS, 0, 1, 0, 0, 0),
                "{\"at\":\"2026-11-23T11:30:00Z\",\"target\":\"shop\",\"type\":\"probe\",\"status\":\"FAIL\",\"checks\":"
                        + checks("FAIL", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN") + ",\"failure\":\"unreachable\"}",
                probe("11:40", "PASS", ALL_PASS, 0, 1, 0, 0, 0),
                event("12:05", "circuit opened", "after the window"),
                probe("12:10", "WARN", checks("PASS", "PASS", "WARN", "PASS", "PASS"), 9, 1, 9, 1000, 0));
        Path historyFile = ProbeHistory.file(state, "shop");
        Files.createDirectories(historyFile.getParent());
        Files.write(historyFile, history);

        seq = 0;
        List<String> journal = new ArrayList<>();
        journal.add(intent("09:00", "flush", "1", ""));
        journal.add(outcome("09:01", "flush", 1, "done", "\"sent\":10,\"gone\":0"));
        journal.add(intent("10:12", "cron.revive", "3", "\"active\":false"));
        journal.add(outcome("10:12", "cron.revive", 3, "done", "\"active\":true"));
        journal.add(intent("10:31", "flush", "101,102", ""));
        journal.add(outcome("10:38", "flush", 5, "done", "\"sent\":43,\"exception\":0,\"outgoing\":0,\"other\":0,\"gone\":2"));
        journal.add("{\"seq\":7,\"at\":\"2026-11-23T10:39");
        seq++;
        journal.add(intent("10:41", "retry.requeue", "201,202,203,204,205", "\"phase\":\"canary\""));
        journal.add(outcome("10:41", "retry.requeue", 8, "done", "\"requeued\":5"));
        journal.add(intent("10:42", "retry.send", "201,202,203,204,205", ""));
        journal.add(outcome("10:43", "retry.send", 10, "done", "\"sent\":2,\"exception\":2,\"outgoing\":0,\"other\":0,\"gone\":1"));
        journal.add(intent("10:46", "retry.requeue", "206,207,208,209", "\"phase\":\"chunk\",\"chunk\":1"));
        journal.add(outcome("10:46", "retry.requeue", 12, "done", "\"requeued\":4"));
        journal.add(intent("10:47", "retry.send", "206,207,208,209", ""));
        journal.add(outcome("10:48", "retry.send", 14, "done", "\"sent\":4,\"exception\":0,\"outgoing\":0,\"other\":0,\"gone\":0"));
        journal.add(intent("10:56", "stale.cancel", "301,302,303", "\"kind\":\"outgoing\",\"archive\":\"archive/shop/a.jsonl\""));
        journal.add(outcome("10:56", "stale.cancel", 16, "done", "\"cancelled\":3"));
        journal.add(intent("10:57", "stale.purge", "401,402", "\"archive\":\"archive/shop/b.jsonl\""));
        journal.add(outcome("10:57", "stale.purge", 18, "failed", "\"purged\":0"));
        journal.add(intent("10:58", "stale.purge", "403", "\"archive\":\"archive/shop/c.jsonl\""));
        journal.add(outcome("10:58", "stale.purge", 20, "done", "\"purged\":1"));
        journal.add(intent("11:50", "flush", "501", ""));
        journal.add(outcome("12:30", "flush", 22, "done", "\"sent\":1,\"gone\":0"));
        Path journalFile = Journal.file(state, "shop");
        Files.createDirectories(journalFile.getParent());
        Files.write(journalFile, journal);
    }

    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = dir.resolve("watchdog.conf").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.at(Clock.fixed(NOW, ZoneOffset.UTC), all);
    }

    @Test
    void theMarkdownTellsTheWindowsStoryWithEveryNumber() throws IOException {
        handWrittenHistoryAndJournal();

        CliRun run = run("--target", "shop", "report", "--since", "2026-11-23T10:00:00Z", "--until", "2026-11-23T12:00:00Z");

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).isEqualTo("""
                ## Outgoing mail of shop, 2026-11-23T10:00:00Z to 2026-11-23T12:00:00Z

                Recorded in this window: 9 probes, 3 events, 19 journal records. Unreadable lines skipped: history 1, journal 1.

                ### Queue

                | | probe at | status | outgoing | exception | due | oldest due | failed in the last hour |
                |---|---|---|---|---|---|---|---|
                | before (baseline) | 2026-11-23T09:50:00Z | PASS | 2 | 1 | 0 | 0 s | 0 |
                | at the end | 2026-11-23T11:40:00Z | PASS | 0 | 1 | 0 | 0 s | 0 |

                ### Checks that went bad

                | check | worst | bad from | back to PASS | for |
                |---|---|---|---|---|
                | scheduler.active | FAIL | 2026-11-23T10:10:00Z | 2026-11-23T10:30:00Z | 20 min |
                | queue.oldest-outgoing | FAIL | 2026-11-23T10:10:00Z | 2026-11-23T10:40:00Z | 30 min |
                | queue.exceptions | WARN | 2026-11-23T10:20:00Z | 2026-11-23T11:00:00Z | 40 min |
                | smtp.server-test | FAIL | 2026-11-23T10:20:00Z | 2026-11-23T10:30:00Z | 10 min |
                | odoo.reachable | FAIL | 2026-11-23T11:30:00Z | 2026-11-23T11:40:00Z | 10 min |

                ### What the watchdog did

                | action | intents | done | failed | unknown | no outcome yet | first | last |
                |---|---|---|---|---|---|---|---|
                | cron.revive | 1 | 1 | 0 | 0 | 0 | 2026-11-23T10:12:00Z | 2026-11-23T10:12:00Z |
                | flush | 2 | 1 | 0 | 0 | 1 | 2026-11-23T10:31:00Z | 2026-11-23T11:50:00Z |
                | retry.requeue | 2 | 2 | 0 | 0 | 0 | 2026-11-23T10:41:00Z | 2026-11-23T10:46:00Z |
                | retry.send | 2 | 2 | 0 | 0 | 0 | 2026-11-23T10:42:00Z | 2026-11-23T10:48:00Z |
                | stale.cancel | 1 | 1 | 0 | 0 | 0 | 2026-11-23T10:56:00Z | 2026-11-23T10:56:00Z |
                | stale.purge | 2 | 1 | 1 | 0 | 0 | 2026-11-23T10:57:00Z | 2026-11-23T10:58:00Z |

                ### Mails

                - requeued for a retry: 9
                - delivered after a retry (sent or gone): 7; failed again: 2
                - delivered by flushing the queue (sent or gone): 45
                - cancelled as stale: 3
                - purged: 1; purges Odoo refused: 1

                ### Drain

                - backlog from 2026-11-23T10:10:00Z, drained at 2026-11-23T11:00:00Z: took 50 min; at most 45 due, 6 exceptions

                ### Events

                - 2026-11-23T10:25:00Z circuit opened: canary: 3 of 5 failed
                - 2026-11-23T10:45:00Z circuit closed
                - 2026-11-23T10:55:00Z retry paused: daily quota reached: 500 of 500 sent today
                """);
    }

    @Test
    void theJsonHoldsTheSameNumbers() throws IOException {
        handWrittenHistoryAndJournal();

        CliRun run = run("--target", "shop", "report", "--since", "2026-11-23T10:00:00Z", "--until", "2026-11-23T12:00:00Z",
                "--format", "json");

        assertThat(run.exit()).as(run.all()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("target").asText()).isEqualTo("shop");
        assertThat(doc.get("since").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(doc.get("until").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(doc.get("empty").asBoolean()).isFalse();
        JsonNode recorded = doc.get("recorded");
        assertThat(recorded.get("probes").asInt()).isEqualTo(9);
        assertThat(recorded.get("events").asInt()).isEqualTo(3);
        assertThat(recorded.get("journalRecords").asInt()).isEqualTo(19);
        assertThat(recorded.get("skippedHistoryLines").asInt()).isEqualTo(1);
        assertThat(recorded.get("skippedJournalLines").asInt()).isEqualTo(1);

        JsonNode baseline = doc.get("baseline");
        assertThat(baseline.get("at").asText()).isEqualTo("2026-11-23T09:50:00Z");
        assertThat(baseline.get("status").asText()).isEqualTo("PASS");
        assertThat(baseline.get("beforeWindow").asBoolean()).isTrue();
        assertThat(baseline.get("queue").get("counts").get("outgoing").asInt()).isEqualTo(2);
        assertThat(baseline.get("queue").get("counts").get("exception").asInt()).isEqualTo(1);
        assertThat(baseline.get("queue").get("due").asInt()).isZero();
        assertThat(doc.get("end").get("at").asText()).isEqualTo("2026-11-23T11:40:00Z");
        assertThat(doc.get("end").get("queue").get("counts").get("outgoing").asInt()).isZero();

        JsonNode checks = doc.get("checks");
        assertThat(checks).hasSize(5);
        JsonNode oldest = checks.get(1);
        assertThat(oldest.get("check").asText()).isEqualTo("queue.oldest-outgoing");
        assertThat(oldest.get("worst").asText()).isEqualTo("FAIL");
        assertThat(oldest.get("from").asText()).isEqualTo("2026-11-23T10:10:00Z");
        assertThat(oldest.get("to").asText()).isEqualTo("2026-11-23T10:40:00Z");
        assertThat(oldest.get("seconds").asLong()).isEqualTo(1800);
        assertThat(oldest.get("ongoing").asBoolean()).isFalse();
        assertThat(oldest.get("beganBeforeWindow").asBoolean()).isFalse();
        assertThat(checks.findValuesAsText("check")).containsExactly("scheduler.active", "queue.oldest-outgoing",
                "queue.exceptions", "smtp.server-test", "odoo.reachable");
        assertThat(checks.findValues("seconds")).extracting(JsonNode::asLong).containsExactly(1200L, 1800L, 2400L, 600L, 600L);

        JsonNode actions = doc.get("actions");
        assertThat(actions.findValuesAsText("action")).containsExactly("cron.revive", "flush", "retry.requeue",
                "retry.send", "stale.cancel", "stale.purge");
        JsonNode flush = actions.get(1);
        assertThat(flush.get("intents").asInt()).isEqualTo(2);
        assertThat(flush.get("done").asInt()).isEqualTo(1);
        assertThat(flush.get("open").asInt()).isEqualTo(1);
        JsonNode purge = actions.get(5);
        assertThat(purge.get("intents").asInt()).isEqualTo(2);
        assertThat(purge.get("done").asInt()).isEqualTo(1);
        assertThat(purge.get("failed").asInt()).isEqualTo(1);
        assertThat(purge.get("unknown").asInt()).isZero();
        assertThat(purge.get("first").asText()).isEqualTo("2026-11-23T10:57:00Z");
        assertThat(purge.get("last").asText()).isEqualTo("2026-11-23T10:58:00Z");

        JsonNode mails = doc.get("mails");
        assertThat(mails.get("requeued").asLong()).isEqualTo(9);
        assertThat(mails.get("deliveredByRetry").asLong()).isEqualTo(7);
        assertThat(mails.get("stillFailingAfterRetry").asLong()).isEqualTo(2);
        assertThat(mails.get("deliveredByFlush").asLong()).isEqualTo(45);
        assertThat(mails.get("cancelled").asLong()).isEqualTo(3);
        assertThat(mails.get("purged").asLong()).isEqualTo(1);
        assertThat(mails.get("purgesRefused").asInt()).isEqualTo(1);

        JsonNode drain = doc.get("drains").get(0);
        assertThat(doc.get("drains")).hasSize(1);
        assertThat(drain.get("from").asText()).isEqualTo("2026-11-23T10:10:00Z");
        assertThat(drain.get("to").asText()).isEqualTo("2026-11-23T11:00:00Z");
        assertThat(drain.get("seconds").asLong()).isEqualTo(3000);
        assertThat(drain.get("drained").asBoolean()).isTrue();
        assertThat(drain.get("peakDue").asInt()).isEqualTo(45);
        assertThat(drain.get("peakExceptions").asInt()).isEqualTo(6);

        assertThat(doc.get("events").findValuesAsText("kind")).containsExactly("circuit opened", "circuit closed",
                "retry paused: daily quota reached");
        assertThat(doc.get("events").get(0).get("at").asText()).isEqualTo("2026-11-23T10:25:00Z");
    }

    @Test
    void aWindowThatEndsMidIncidentSaysNotDrainedYetAndStillBad() throws IOException {
        handWrittenHistoryAndJournal();

        CliRun run = run("--target", "shop", "report", "--since", "2026-11-23T10:05:00Z", "--until", "2026-11-23T10:35:00Z");

        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("| before (baseline) | 2026-11-23T10:00:00Z | PASS | 2 | 1 | 0 | 0 s | 0 |")
                .contains("| at the end | 2026-11-23T10:30:00Z | FAIL | 45 | 6 | 45 | 50 min | 5 |")
                .contains("| queue.oldest-outgoing | FAIL | 2026-11-23T10:10:00Z | not yet | 20 min so far |")
                .contains("| scheduler.active | FAIL | 2026-11-23T10:10:00Z | 2026-11-23T10:30:00Z | 20 min |")
                .contains("- backlog from 2026-11-23T10:10:00Z: not drained yet (20 min so far); at most 45 due, 6 exceptions")
                .contains("- 2026-11-23T10:25:00Z circuit opened: canary: 3 of 5 failed")
                .doesNotContain("circuit closed");
    }

    @Test
    void aWindowWithNothingInItExits2AndSaysWhatThereIs() throws IOException {
        handWrittenHistoryAndJournal();

        CliRun markdown = run("--target", "shop", "report", "--since", "2026-11-20T00:00:00Z", "--until", "2026-11-20T06:00:00Z");
        CliRun json = run("--target", "shop", "report", "--since", "2026-11-20T00:00:00Z", "--until", "2026-11-20T06:00:00Z",
                "--format", "json");

        assertThat(markdown.exit()).isEqualTo(ExitCodes.FAIL);
        assertThat(markdown.out()).isEqualTo("""
                ## Outgoing mail of shop, 2026-11-20T00:00:00Z to 2026-11-20T06:00:00Z

                Nothing was recorded in this window: no probe, no event, no journal record.
                """);
        assertThat(markdown.err()).contains("nothing recorded for shop between 2026-11-20T00:00:00Z and 2026-11-20T06:00:00Z")
                .contains("history from 2026-11-23T09:50:00Z to 2026-11-23T12:10:00Z; journal from 2026-11-23T09:00:00Z to 2026-11-23T12:30:00Z");
        assertThat(json.exit()).isEqualTo(ExitCodes.FAIL);
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("empty").asBoolean()).isTrue();
        assertThat(doc.get("recorded").get("probes").asInt()).isZero();
        assertThat(doc.get("recorded").get("events").asInt()).isZero();
        assertThat(doc.get("recorded").get("journalRecords").asInt()).isZero();
        assertThat(doc.get("checks")).isEmpty();
        assertThat(doc.get("actions")).isEmpty();
        assertThat(doc.get("drains")).isEmpty();
        assertThat(doc.get("mails").get("requeued").asLong()).isZero();
    }

    @Test
    void aTargetWithNoHistoryNorJournalExits2AndSaysTheDaemonWritesThem() {
        CliRun run = run("--target", "books", "report", "--since", "24h");
        assertThat(run.exit()).isEqualTo(ExitCodes.FAIL);
        assertThat(run.err()).contains("there is no history (" + ProbeHistory.file(state, "books") + ") and no journal of books at all");
    }

    @Test
    void anAgeCountsBackFromNowAndTheDefaultEndIsNow() throws IOException {
        handWrittenHistoryAndJournal();
        // 13:00 - 1h = 12:00: only the 12:05 event, the 12:10 probe and the 12:30 outcome
        CliRun run = run("--target", "shop", "report", "--since", "1h", "--format", "json");
        assertThat(run.exit()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("since").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(doc.get("until").asText()).isEqualTo("2026-11-23T13:00:00Z");
        assertThat(doc.get("recorded").get("probes").asInt()).isEqualTo(1);
        assertThat(doc.get("recorded").get("events").asInt()).isEqualTo(1);
        assertThat(doc.get("recorded").get("journalRecords").asInt()).isEqualTo(1);
        assertThat(doc.get("mails").get("deliveredByFlush").asLong()).isEqualTo(1);
        assertThat(doc.get("baseline").get("at").asText()).isEqualTo("2026-11-23T11:40:00Z");
    }

    @Test
    void badOptionsExit3AndABadConfig78() throws IOException {
        assertThat(run("--target", "shop", "report", "--since", "yesterday").exit()).isEqualTo(ExitCodes.UNKNOWN);
        CliRun badUntil = run("--target", "shop", "report", "--since", "2h", "--until", "soon");
        assertThat(badUntil.exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(badUntil.err()).contains("--until takes an instant");
        assertThat(run("--target", "shop", "report", "--since", "1h", "--until", "2h").err()).contains("the window is empty");
        assertThat(run("--target", "shop", "report", "--since", "1h", "--format", "html").exit()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run("--target", "shop", "report").exit()).as("--since is required").isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run("report", "--since", "1h").err()).contains("add --target NAME");
        Files.writeString(dir.resolve("watchdog.conf"), "targets = [ { name = shop } ]\n");
        assertThat(run("--target", "shop", "report", "--since", "1h").exit()).isEqualTo(ExitCodes.CONFIG);
    }

    @Test
    void aSecretEchoedIntoAnEventIsMasked() throws IOException {
        Path historyFile = ProbeHistory.file(state, "shop");
        Files.createDirectories(historyFile.getParent());
        Files.write(historyFile, List.of(event("10:25", "circuit opened", "relay said " + PASSWORD)));
        CliRun run = run("--target", "shop", "report", "--since", "2026-11-23T10:00:00Z");
        assertThat(run.exit()).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).contains("relay said ********");
    }
}
