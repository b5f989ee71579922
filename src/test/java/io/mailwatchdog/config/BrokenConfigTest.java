package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mailwatchdog.config.ConfigFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class BrokenConfigTest {
    @TempDir
    Path dir;

    static final String BROKEN = """
            timeouts {
              conect = 5s
            }
            targets = [
              {
                name = "fast-one"
                url = "https://erp.example.com"
                database = "db"
                login = "admin"
                password-env = "ODOO_PW"
                thresholds { oldest-outgoing-warn = "fast" }
              }
              {
                name = "no-secret"
                url = "https://erp.example.com"
                database = "db"
                login = "admin"
              }
              {
                name = "two-secrets"
                url = "https://erp.example.com"
                database = "db"
                login = "admin"
                password = "s3cr3t-VALUE-42"
                password-file = "pw.txt"
              }
              {
                name = "bad-url"
                url = "ftp://erp.example.com"
                database = "db"
                login = "admin"
                password = "s3cr3t-VALUE-42"
              }
              {
                name = "public-http"
                url = "http://erp.example.com"
                database = "db"
                login = "admin"
                password = "s3cr3t-VALUE-42"
              }
              {
                name = "unset-env"
                url = "https://erp.example.com"
                database = "db"
                login = "admin"
                password-env = "ODOO_UNSET_PW"
              }
            ]
            """;

    @Test
    void reportsEveryProblemOfABrokenFileWithItsLine() {
        Path file = ConfigFiles.write(dir, "watchdog.conf", BROKEN);

        List<ConfigProblem> problems = problemsOf(file, Map.of("ODOO_PW", "pw"));

        assertThat(problems).extracting(ConfigProblem::file).containsOnly(file.toString());
        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::path).containsExactly(
                tuple(lineOf(BROKEN, "conect"), "timeouts.conect"),
                tuple(lineOf(BROKEN, "\"fast\""), "targets[0].thresholds.oldest-outgoing-warn"),
                tuple(lineOf(BROKEN, "name = \"no-secret\"") - 1, "targets[1]"),
                tuple(lineOf(BROKEN, "pw.txt"), "targets[2].password-file"),
                tuple(lineOf(BROKEN, "ftp://"), "targets[3].url"),
                tuple(lineOf(BROKEN, "http://erp"), "targets[4].url"),
                tuple(lineOf(BROKEN, "ODOO_UNSET_PW"), "targets[5].password-env"));
        assertThat(problems).extracting(ConfigProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("did you mean `connect`?"),
                m -> assertThat(m).isEqualTo("expected a duration such as 15m, got \"fast\""),
                m -> assertThat(m).contains("missing secret").contains("exactly one of password, password-env, password-file"),
                m -> assertThat(m).contains("exactly one").contains("password and password-file"),
                m -> assertThat(m).contains("http:// or https://"),
                m -> assertThat(m).contains("clear text").contains("allow-insecure-http"),
                m -> assertThat(m).isEqualTo("environment variable ODOO_UNSET_PW is not set"));
    }

    @Test
    void printsEachProblemLikeACompilerError() {
        Path file = ConfigFiles.write(dir, "watchdog.conf", BROKEN);

        InvalidConfigException e = failureOf(file, Map.of("ODOO_PW", "pw"));

        assertThat(e.problems().get(1)).hasToString(file + ":" + lineOf(BROKEN, "\"fast\"")
                + ": targets[0].thresholds.oldest-outgoing-warn: expected a duration such as 15m, got \"fast\"");
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith("7 problems in " + file);
    }

    @Test
    void reportsAHoconSyntaxErrorAsOneProblemWithFileAndLine() {
        String text = """
                targets = [
                  { name = "a"
                    url = "https://erp.example.com"
                  }
                  { name = }
                ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        List<ConfigProblem> problems = problemsOf(file, Map.of());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file.toString());
            assertThat(p.line()).isEqualTo(lineOf(text, "name = }"));
            assertThat(p.message()).startsWith("HOCON syntax error");
        });
    }

    @Test
    void reportsAnUnresolvedSubstitutionAtItsLine() {
        String text = """
                targets = [ { name = "a", url = "https://erp.example.com", database = "d", login = "l",
                  password-file = ${NOT_IN_ENV}"/pw" } ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("${NOT_IN_ENV}");
        });
    }

    @Test
    void reportsMissingAndEmptyTargets() {
        Path none = ConfigFiles.write(dir, "none.conf", "check.timeout = 20s\n");
        Path empty = ConfigFiles.write(dir, "empty.conf", "\n\ntargets = []\n");

        assertThat(problemsOf(none, Map.of())).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("targets"))
                .satisfies(p -> assertThat(p.message()).startsWith("missing"));
        assertThat(problemsOf(empty, Map.of())).singleElement()
                .satisfies(p -> assertThat(p.line()).isEqualTo(3))
                .satisfies(p -> assertThat(p.message()).startsWith("empty"));
    }

    @Test
    void reportsMissingTargetKeysAtTheLineOfTheTarget() {
        String text = """
                targets = [
                  {
                    password = "x"
                  }
                ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).extracting(ConfigProblem::line, ConfigProblem::path)
                .containsExactly(tuple(2, "targets[0].name"), tuple(2, "targets[0].url"),
                        tuple(2, "targets[0].database"), tuple(2, "targets[0].login"));
    }

    @Test
    void reportsWrongTypesNonPositiveValuesAndWarnAboveFail() {
        String text = """
                check { timeout = 0s }
                probe { concurrency = -1, smtp-test = "maybe", max-response-size = "huge", exception-sample = 1.5 }
                timeouts.reply = 30
                thresholds { scheduler-failures-warn = 5 }
                tls = "none"
                targets = [ { name = "bad name", url = "https://h.example.com", database = "d", login = "l", password = "p",
                  thresholds { oldest-outgoing-warn = 2h } } ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).extracting(ConfigProblem::path, ConfigProblem::message).containsExactly(
                tuple("check.timeout", "must be greater than zero, got \"0s\""),
                tuple("probe.exception-sample", "expected a whole number, got 1.5"),
                tuple("probe.max-response-size", "expected a size such as 16MiB, got \"huge\""),
                tuple("probe.smtp-test", "expected true or false, got \"maybe\""),
                tuple("probe.concurrency", "must be a whole number greater than zero, got -1"),
                tuple("timeouts.reply", "expected a duration with a unit such as 30s, got 30 (a bare number would mean milliseconds)"),
                tuple("thresholds.scheduler-failures-warn", "scheduler-failures-warn (5) must not be greater than scheduler-failures-fail (3)"),
                tuple("tls", "expected a block { ... }, got a string"),
                tuple("targets[0].name", "may contain only letters, digits, '.', '_' and '-' (it is used in metric labels and file names), got \"bad name\""),
                tuple("targets[0].thresholds.oldest-outgoing-warn", "oldest-outgoing-warn (2h) must not be greater than oldest-outgoing-fail (60m)"));
    }

    @Test
    void reportsDuplicateTargetNamesAtTheSecondOne() {
        String text = """
                targets = [
                  { name = "prod", url = "https://a.example.com", database = "d", login = "l", password = "p" }
                  { name = "prod", url = "https://b.example.com", database = "d", login = "l", password = "p" }
                ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.path()).isEqualTo("targets[1].name");
            assertThat(p.message()).isEqualTo("duplicate target name \"prod\", already used by targets[0] (line 2)");
        });
    }

    @Test
    void suggestsTheNearestKeyInsideATargetAndPlacesTargetKeysFoundAtTheRoot() {
        String text = """
                url = "https://erp.example.com"
                targets = [ { name = "a", url = "https://erp.example.com", database = "d", login = "l", password = "p",
                  tresholds { oldest-outgoing-warn = 1m }, probe { colour = blue } } ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).extracting(ConfigProblem::path, ConfigProblem::message).containsExactly(
                tuple("url", "unknown key at the root: `url` belongs inside a target in `targets`"),
                tuple("targets[0].tresholds", "unknown key, did you mean `thresholds`?"),
                tuple("targets[0].probe.colour", "unknown key; valid keys here: exception-sample, max-response-size,"
                        + " smtp-test, smtp-auth-retest-after, concurrency"));
    }

    @Test
    void reportsARootBlockOfTheWrongTypeOnceAndLetsTargetsFallBackToTheReference() {
        String text = """
                thresholds = 5
                targets = [ { name = "a", url = "https://erp.example.com", database = "d", login = "l", password = "p",
                  thresholds { oldest-outgoing-fail = 90m } } ]
                """;
        Path file = ConfigFiles.write(dir, "watchdog.conf", text);

        assertThat(problemsOf(file, Map.of())).singleElement()
                .hasToString(file + ":1: thresholds: expected a block { ... }, got a number");
    }

    static List<ConfigProblem> problemsOf(Path file, Map<String, String> env) {
        return failureOf(file, env).problems();
    }

    static InvalidConfigException failureOf(Path file, Map<String, String> env) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> SettingsLoader.load(Optional.of(file), env));
        assertThat(e).as("expected the config to be rejected").isNotNull();
        return e;
    }
}
