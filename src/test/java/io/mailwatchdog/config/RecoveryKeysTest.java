package io.mailwatchdog.config;

import static io.mailwatchdog.config.ConfigFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of retry { } and stale { }: safe defaults, per-target overrides, and what is wrong with them. */
class RecoveryKeysTest {
    @TempDir
    Path dir;

    static final String TARGETS = """
            targets = [
              { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" }
              { name = "b", url = "https://b.example.com", database = "d", login = "l", password = "p",
                retry { enabled = true, chunk-size = 20 }, stale.purge = true }
            ]
            """;

    @Test
    void retryAndCleanupAreOffByDefaultWithTheIssuesDefaults() throws Exception {
        TargetSettings a = load("").get(0);

        assertThat(a.retry()).isEqualTo(new RetrySettings(false, 5, 100, 60, 0, 3, Duration.ofHours(48), 0.2,
                Duration.ofMinutes(30), List.of("res.users", "account.move")));
        assertThat(a.stale()).isEqualTo(new StaleSettings(false, Duration.ofDays(7), Duration.ofDays(30), false,
                Duration.ofDays(90), 200, 20));
    }

    @Test
    void aTargetOverridesSingleKeysAndKeepsTheRootsOthers() throws Exception {
        List<TargetSettings> targets = load("retry { rate-per-minute = 0, model-order = [ \"sale.order\" ] }\n");

        assertThat(targets.get(0).retry().enabled()).isFalse();
        assertThat(targets.get(0).retry().ratePerMinute()).isZero();
        assertThat(targets.get(1).retry().enabled()).isTrue();
        assertThat(targets.get(1).retry().chunkSize()).isEqualTo(20);
        assertThat(targets.get(1).retry().ratePerMinute()).isZero();
        assertThat(targets.get(1).retry().modelOrder()).containsExactly("sale.order");
        assertThat(targets.get(1).stale().purge()).isTrue();
        assertThat(targets.get(0).stale().purge()).isFalse();
    }

    @Test
    void wrongRetryAndStaleValuesAreProblemsAtTheirLines() {
        String text = """
                retry {
                  failure-threshold = 1.5
                  model-order = "res.users"
                  canary-size = 0
                  daily-quota = -1
                  max-age = 48
                }
                stale {
                  purge = maybe
                  exceptions-after = 0d
                  batch-size = 6000
                }
                """ + TARGETS;

        assertThat(BrokenConfigTest.problemsOf(ConfigFiles.write(dir, "watchdog.conf", text), Map.of()))
                .extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactlyInAnyOrder(
                        tuple(lineOf(text, "canary-size"), "retry.canary-size", "must be from 1 to 1000, got 0"),
                        tuple(lineOf(text, "daily-quota"), "retry.daily-quota",
                                "must be 0 (none) or a number of mails per day, got -1"),
                        tuple(lineOf(text, "max-age"), "retry.max-age", "expected a duration with a unit such as 48h,"
                                + " got 48 (a bare number would mean milliseconds)"),
                        tuple(lineOf(text, "failure-threshold"), "retry.failure-threshold",
                                "must be greater than 0 and at most 1 (a fraction, 0.2 = 20 %), got 1.5"),
                        tuple(lineOf(text, "model-order"), "retry.model-order",
                                "expected a list such as [ \"res.users\", \"account.move\" ], got \"res.users\""),
                        tuple(lineOf(text, "maybe"), "stale.purge", "expected true or false, got \"maybe\""),
                        tuple(lineOf(text, "exceptions-after"), "stale.exceptions-after", "must be greater than zero, got \"0d\""),
                        tuple(lineOf(text, "6000"), "stale.batch-size", "must be from 1 to 5000, got 6000"));
    }

    @Test
    void aMisspelledRetryKeyIsNamedWithItsNearestMatch() {
        String text = "retry { canary-sise = 3 }\n" + TARGETS;

        assertThat(BrokenConfigTest.problemsOf(ConfigFiles.write(dir, "watchdog.conf", text), Map.of()))
                .singleElement().satisfies(p -> {
                    assertThat(p.line()).isEqualTo(1);
                    assertThat(p.message()).contains("canary-size");
                });
    }

    @Test
    void theJournalRotatesAt16MiBKeepsAtLeastTheRetrysMaxAgeAndADayAndTakesSizesWithUnits() throws Exception {
        TargetSettings a = load("").get(0);
        assertThat(a.journal()).isEqualTo(new JournalSettings(16L << 20, Duration.ofDays(30), Duration.ofDays(365)));
        assertThat(a.journal().keepFor(a.retry())).isEqualTo(Duration.ofDays(30));

        TargetSettings b = load("journal { rotate-at = 512KiB, keep = 1d }\nretry.max-age = 72h\n").get(0);
        assertThat(b.journal().rotateAt()).isEqualTo(512L << 10);
        assertThat(b.journal().keepFor(b.retry())).as("never less than max-age and a day").isEqualTo(Duration.ofDays(4));
    }

    @Test
    void wrongJournalValuesAreProblemsAtTheirLines() {
        String text = """
                journal {
                  rotate-at = lots
                  keep = 0d
                }
                """ + TARGETS;

        assertThat(BrokenConfigTest.problemsOf(ConfigFiles.write(dir, "watchdog.conf", text), Map.of()))
                .extracting(ConfigProblem::line, ConfigProblem::path)
                .containsExactlyInAnyOrder(tuple(2, "journal.rotate-at"), tuple(3, "journal.keep"));
    }

    private List<TargetSettings> load(String extra) throws Exception {
        Path file = ConfigFiles.write(dir, "watchdog.conf", extra + TARGETS);
        return SettingsLoader.load(Optional.of(file), Map.of()).targets();
    }
}
