package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mailwatchdog.config.ConfigFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The daemon's keys (mode, schedule, scheduler-watchdog, flush, lock) and what is wrong with them. */
class DaemonKeyProblemsTest {
    @TempDir
    Path dir;

    static final String TARGET = """
            targets = [ { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" } ]
            """;

    @Test
    void aModeOtherThanActOrObserveIsAProblemThatSuggestsTheNearest() {
        String text = """
                mode = obsrve
                targets = [
                  { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p", mode = 3 }
                  { name = "b", url = "https://b.example.com", database = "d", login = "l", password = "p", mode = "off" }
                ]
                """;

        assertThat(problemsOf(text)).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(1, "mode", "expected act or observe, got \"obsrve\"; did you mean `observe`?"),
                        tuple(3, "targets[0].mode", "expected act or observe, got 3"),
                        tuple(4, "targets[1].mode", "expected act or observe, got \"off\"; did you mean `act`?"));
    }

    @Test
    void nonPositiveDurationsAndOutOfRangeCountsAreProblemsAtTheirLines() {
        String text = """
                schedule { probe-interval = 0s, smtp-test-interval = 5 }
                scheduler-watchdog { enabled = sometimes, overdue-grace = -1m, stuck-after = soon }
                flush {
                  enabled = yes-please
                  after = 0m
                  batch-size = 0
                  max-batches-per-run = 0
                  call-timeout = -5m
                }
                lock { settle-interval = 0s }
                targets = [
                  { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" }
                  { name = "b", url = "https://b.example.com", database = "d", login = "l", password = "p",
                    flush.batch-size = 10001 }
                ]
                """;

        assertThat(problemsOf(text)).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(1, "schedule.probe-interval", "must be greater than zero, got \"0s\""),
                        tuple(1, "schedule.smtp-test-interval", "expected a duration with a unit such as 5m, got 5"
                                + " (a bare number would mean milliseconds)"),
                        tuple(2, "scheduler-watchdog.enabled", "expected true or false, got \"sometimes\""),
                        tuple(2, "scheduler-watchdog.overdue-grace", "must be greater than zero, got \"-1m\""),
                        tuple(2, "scheduler-watchdog.stuck-after", "expected a duration such as 30m, got \"soon\""),
                        tuple(lineOf(text, "yes-please"), "flush.enabled", "expected true or false, got \"yes-please\""),
                        tuple(lineOf(text, "after = 0m"), "flush.after", "must be greater than zero, got \"0m\""),
                        tuple(lineOf(text, "batch-size = 0"), "flush.batch-size", "must be from 1 to 10000, got 0"),
                        tuple(lineOf(text, "max-batches-per-run"), "flush.max-batches-per-run",
                                "must be a whole number greater than zero, got 0"),
                        tuple(lineOf(text, "call-timeout"), "flush.call-timeout", "must be greater than zero, got \"-5m\""),
                        tuple(lineOf(text, "settle-interval"), "lock.settle-interval", "must be greater than zero, got \"0s\""),
                        tuple(lineOf(text, "10001"), "targets[1].flush.batch-size", "must be from 1 to 10000, got 10001"));
    }

    @Test
    void flushAfterMayBeSecondsForTests() throws Exception {
        Path file = ConfigFiles.write(dir, "watchdog.conf", "flush.after = 2s\nschedule.probe-interval = 250ms\n" + TARGET);

        TargetSettings a = SettingsLoader.load(java.util.Optional.of(file), Map.of()).targets().get(0);

        assertThat(a.flush().after()).hasSeconds(2);
        assertThat(a.schedule().probeInterval()).hasMillis(250);
    }

    @Test
    void aLeaseNotLongerThanTheFlushCallTimeoutIsAProblemThatSaysWhy() {
        String text = "\nlock.lease = 5m\n" + TARGET;

        assertThat(problemsOf(text)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.path()).isEqualTo("lock.lease");
            assertThat(p.message()).startsWith("lock.lease (5m) must be greater than flush.call-timeout (5m): "
                    + "the lease must outlast the longest call made under the lock");
        });
    }

    @Test
    void aLeaseShorterThanATargetsOwnReplyTimeoutIsReportedWhereTheTargetSetsIt() {
        String text = """
                flush.call-timeout = 1m
                lock.lease = 2m
                targets = [
                  { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" }
                  { name = "slow", url = "https://b.example.com", database = "d", login = "l", password = "p",
                    timeouts.reply = 3m }
                ]
                """;

        assertThat(problemsOf(text)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(lineOf(text, "timeouts.reply = 3m"));
            assertThat(p.path()).isEqualTo("targets[1].timeouts.reply");
            assertThat(p.message()).startsWith("lock.lease (2m) must be greater than timeouts.reply (3m): the lease"
                    + " must outlast the longest call");
        });
    }

    @Test
    void aLeaseShorterThanBothCallsNamesBoth() {
        String text = "lock.lease = 20s\n" + TARGET;

        assertThat(problemsOf(text)).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("lock.lease (20s) must be greater than flush.call-timeout (5m) and timeouts.reply (30s): "));
    }

    @Test
    void keysThatBelongAtTheRootAreRejectedInsideATarget() {
        String text = """
                targets = [ { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p",
                  state-dir = "/tmp/x", check.timeout = 5s } ]
                """;

        assertThat(problemsOf(text)).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(2, "targets[0].state-dir", "unknown key in a target: `state-dir` belongs at the root,"
                                + " it is set once for all targets"),
                        tuple(2, "targets[0].check", "unknown key in a target: `check` belongs at the root,"
                                + " it is set once for all targets"));
    }

    @Test
    void aMisspeltDaemonKeyGetsASuggestion() {
        String text = "flush { bach-size = 10 }\nsheduler-watchdog.enabled = false\n" + TARGET;

        assertThat(problemsOf(text)).extracting(ConfigProblem::path, ConfigProblem::message).containsExactly(
                tuple("flush.bach-size", "unknown key, did you mean `batch-size`?"),
                tuple("sheduler-watchdog", "unknown key, did you mean `scheduler-watchdog`?"));
    }

    private List<ConfigProblem> problemsOf(String text) {
        return BrokenConfigTest.problemsOf(ConfigFiles.write(dir, "watchdog.conf", text), Map.of());
    }
}
