package io.mailwatchdog.config;

import com.typesafe.config.ConfigFactory;
import io.mailwatchdog.report.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mailwatchdog.config.ConfigFiles.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The daemon's root-only keys: http (with its token), alerts (with its webhooks) and shutdown-grace. */
class HttpAndAlertsTest {
    static final String TOKEN = "t0ken-VALUE-77";
    static final String HOOK = "https://hooks.slack.com/services/T000/B000/h00k-SECRET-99";

    @TempDir
    Path dir;

    static final String TARGET = """
            targets = [ { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" } ]
            """;

    @Test
    void readsTheHttpKeysAndATokenFromAnEnvironmentVariable() throws Exception {
        Settings settings = load("http { bind = \"0.0.0.0\", port = 0, token-env = WATCHDOG_TOKEN }\n"
                + "shutdown-grace = 2m\n" + TARGET, Map.of("WATCHDOG_TOKEN", TOKEN));

        assertThat(settings.http().bind()).isEqualTo("0.0.0.0");
        assertThat(settings.http().port()).isZero();
        assertThat(settings.http().token()).hasValueSatisfying(token -> {
            assertThat(token.reveal()).isEqualTo(TOKEN);
            assertThat(token.origin()).isEqualTo("env WATCHDOG_TOKEN");
        });
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void readsTheTokenFromAFileRelativeToTheConfigFile() throws Exception {
        ConfigFiles.write(dir, "secrets/token", TOKEN + "\n");

        Settings settings = load("http.token-file = secrets/token\n" + TARGET, Map.of());

        assertThat(settings.http().token()).hasValueSatisfying(token -> {
            assertThat(token.reveal()).isEqualTo(TOKEN);
            assertThat(token.source()).isEqualTo(Secret.Source.FILE);
        });
    }

    @Test
    void configShowMasksAnInlineTokenAndShowsWhereAnotherOneIs() throws Exception {
        Settings inline = load("http.token = \"" + TOKEN + "\"\n" + TARGET, Map.of());
        Settings fromEnv = load("http.token-env = WATCHDOG_TOKEN\n" + TARGET, Map.of("WATCHDOG_TOKEN", TOKEN));

        String shown = SettingsPrinter.masked(inline);
        assertThat(shown).doesNotContain(TOKEN);
        assertThat(ConfigFactory.parseString(shown).getString("http.token")).isEqualTo("********");
        assertThat(inline.effective().toString()).doesNotContain(TOKEN);
        assertThat(inline.toString()).doesNotContain(TOKEN);
        assertThat(SettingsPrinter.masked(fromEnv)).doesNotContain(TOKEN).contains("WATCHDOG_TOKEN");
    }

    @Test
    void moreThanOneTokenKeyIsAProblemAtTheOneWrittenLast() {
        String text = "http {\n  token = \"" + TOKEN + "\"\n  token-env = WATCHDOG_TOKEN\n}\n" + TARGET;

        assertThat(problemsOf(text, Map.of("WATCHDOG_TOKEN", "x"))).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.path()).isEqualTo("http.token-env");
            assertThat(p.message()).isEqualTo("set at most one of http.token, http.token-env, http.token-file;"
                    + " the configuration sets http.token and http.token-env");
            assertThat(p.toString()).doesNotContain(TOKEN);
        });
    }

    @Test
    void aWrongPortABlankBindAnUnsetTokenVariableAndNonPositiveValuesAreProblemsAtTheirLines() {
        String text = """
                http {
                  bind = " "
                  port = 70000
                  token-env = NOT_SET
                }
                alerts { renotify-interval = 0s, max-attempts = 0, first-backoff = -1s, request-timeout = 10 }
                shutdown-grace = 0s
                """ + TARGET;

        assertThat(problemsOf(text, Map.of())).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(2, "http.bind", "must not be empty: set the address to listen on, such as 127.0.0.1"
                                + " (this machine) or 0.0.0.0 (every interface)"),
                        tuple(3, "http.port", "must be a port from 0 to 65535 (0 = any free port), got 70000"),
                        tuple(4, "http.token-env", "environment variable NOT_SET is not set"),
                        tuple(6, "alerts.renotify-interval", "must be greater than zero, got \"0s\""),
                        tuple(6, "alerts.max-attempts", "must be a whole number greater than zero, got 0"),
                        tuple(6, "alerts.first-backoff", "must be greater than zero, got \"-1s\""),
                        tuple(6, "alerts.request-timeout", "expected a duration with a unit such as 10s, got 10"
                                + " (a bare number would mean milliseconds)"),
                        tuple(7, "shutdown-grace", "must be greater than zero, got \"0s\""));
    }

    @Test
    void aNegativePortIsAProblemToo() {
        assertThat(problemsOf("http.port = -1\n" + TARGET, Map.of())).singleElement().satisfies(p ->
                assertThat(p.message()).isEqualTo("must be a port from 0 to 65535 (0 = any free port), got -1"));
    }

    @Test
    void readsWebhooksWithTheirNamesFormatsAndUrlsFromEveryKindOfSource() throws Exception {
        ConfigFiles.write(dir, "hook-url", HOOK + "/file\n");
        Settings settings = load("""
                alerts {
                  webhooks = [
                    { name = ops-slack, url-env = SLACK_URL, format = Slack }
                    { url-file = hook-url, format = alertmanager }
                    { url = "https://example.com/generic" }
                  ]
                  max-attempts = 3
                }
                """ + TARGET, Map.of("SLACK_URL", HOOK));

        List<WebhookSettings> webhooks = settings.alerts().webhooks();
        assertThat(webhooks).extracting(WebhookSettings::name, WebhookSettings::format).containsExactly(
                tuple("ops-slack", WebhookSettings.Format.SLACK),
                tuple("webhook-1", WebhookSettings.Format.ALERTMANAGER),
                tuple("webhook-2", WebhookSettings.Format.GENERIC));
        assertThat(webhooks).extracting(w -> w.url().reveal())
                .containsExactly(HOOK, HOOK + "/file", "https://example.com/generic");
        assertThat(webhooks.get(0).url().origin()).isEqualTo("env SLACK_URL");
        assertThat(settings.alerts().maxAttempts()).isEqualTo(3);
        assertThat(settings.alerts().renotifyInterval()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void aWebhookUrlThatIsNotAnAbsoluteHttpUrlIsAProblemThatNeverQuotesIt() {
        ConfigFiles.write(dir, "hook-url", "ftp://h00k-SECRET-99.example.com/x\n");
        String text = """
                alerts.webhooks = [
                  { name = relative, url = "/services/h00k-SECRET-99" }
                  { name = env, url-env = HOOK_URL }
                  { name = file, url-file = hook-url }
                  { name = spaces, url = "https://hooks.slack.com/h00k-SECRET-99 x" }
                  { name = no-host, url = "https:///h00k-SECRET-99" }
                ]
                """ + TARGET;

        List<ConfigProblem> problems = problemsOf(text, Map.of("HOOK_URL", "h00k-SECRET-99"));

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::path).containsExactly(
                tuple(lineOf(text, "relative"), "alerts.webhooks[0].url"),
                tuple(lineOf(text, "HOOK_URL"), "alerts.webhooks[1].url-env"),
                tuple(lineOf(text, "hook-url"), "alerts.webhooks[2].url-file"),
                tuple(lineOf(text, "spaces"), "alerts.webhooks[3].url"),
                tuple(lineOf(text, "no-host"), "alerts.webhooks[4].url"));
        assertThat(problems).extracting(ConfigProblem::message).satisfiesExactly(
                m -> assertThat(m).startsWith("the URL is not an absolute http or https URL"),
                m -> assertThat(m).startsWith("the URL in environment variable HOOK_URL is not an absolute http or https URL"),
                m -> assertThat(m).startsWith("the URL in file " + dir.toAbsolutePath().resolve("hook-url")
                        + " is not an absolute http or https URL"),
                m -> assertThat(m).startsWith("the URL is not a valid URL (Illegal character in path at character"),
                m -> assertThat(m).startsWith("the URL has no host name"));
        assertThat(problems).allSatisfy(p -> assertThat(p.toString()).doesNotContain("h00k-SECRET-99")
                .contains("not shown: a webhook URL embeds a secret"));
    }

    @Test
    void anUnquotedWebhookUrlIsASyntaxErrorThatDoesNotQuoteIt() {
        String text = """
                alerts.webhooks = [
                  { url = https://hooks.slack.com/services/h00k-SECRET-99 }
                ]
                """ + TARGET;

        assertThat(problemsOf(text, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).startsWith("HOCON syntax error");
            assertThat(p.toString()).doesNotContain("h00k-SECRET-99");
        });
    }

    @Test
    void aWebhookWithoutAUrlOrWithTwoIsAProblem() {
        String text = """
                alerts.webhooks = [
                  { name = none }
                  { name = two, url = "%s", url-env = HOOK_URL }
                ]
                """.formatted(HOOK) + TARGET;

        List<ConfigProblem> problems = problemsOf(text, Map.of("HOOK_URL", HOOK));

        assertThat(problems).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message).containsExactly(
                tuple(2, "alerts.webhooks[0]", "missing secret: set exactly one of url, url-env, url-file"),
                tuple(3, "alerts.webhooks[1].url", "set exactly one of url, url-env, url-file;"
                        + " this webhook sets url and url-env"));
    }

    @Test
    void duplicateWebhookNamesAreAProblemAtTheSecondOne() {
        String text = """
                alerts.webhooks = [
                  { name = ops, url = "https://a.example.com/1" }
                  { name = ops, url = "https://a.example.com/2" }
                  { name = webhook-3, url = "https://a.example.com/3" }
                  { url = "https://a.example.com/4" }
                ]
                """ + TARGET;

        assertThat(problemsOf(text, Map.of())).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(3, "alerts.webhooks[1].name", "duplicate webhook name \"ops\", already used by"
                                + " alerts.webhooks[0] (line 2)"),
                        tuple(5, "alerts.webhooks[3].name", "duplicate webhook name \"webhook-3\", already used by"
                                + " alerts.webhooks[2] (line 4); set a name of its own"));
    }

    @Test
    void wrongWebhookShapesFormatsAndKeysAreProblemsWithSuggestions() {
        String text = """
                alerts {
                  webhooks = [
                    { name = "bad name", url = "https://a.example.com", format = slak }
                    42
                    { ulr = "https://a.example.com" }
                  ]
                }
                """ + TARGET;

        assertThat(problemsOf(text, Map.of())).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(3, "alerts.webhooks[0].name", "may contain only letters, digits, '.', '_' and '-'"
                                + " (as a target's name), got \"bad name\""),
                        tuple(3, "alerts.webhooks[0].format", "expected generic, slack or alertmanager, got \"slak\";"
                                + " did you mean `slack`?"),
                        tuple(4, "alerts.webhooks[1]", "expected a webhook { name = ..., url-env = ... }, got a number"),
                        tuple(5, "alerts.webhooks[2].ulr", "unknown key, did you mean `url`?"),
                        tuple(5, "alerts.webhooks[2]", "missing secret: set exactly one of url, url-env, url-file"));
    }

    @Test
    void webhooksThatAreNotAListAreAProblem() {
        assertThat(problemsOf("alerts.webhooks = \"https://a.example.com\"\n" + TARGET, Map.of()))
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("alerts.webhooks");
                    assertThat(p.message()).isEqualTo("expected a list of webhooks [ { name = ..., url-env = ... } ],"
                            + " got a string");
                });
    }

    @Test
    void keysThatBelongAtTheRootAreRejectedInsideATarget() {
        String text = """
                targets = [ { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p",
                  http.port = 1, alerts { max-attempts = 1 }, shutdown-grace = 1s } ]
                """;

        assertThat(problemsOf(text, Map.of())).extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        tuple(2, "targets[0].http", "unknown key in a target: `http` belongs at the root,"
                                + " it is set once for all targets"),
                        tuple(2, "targets[0].alerts", "unknown key in a target: `alerts` belongs at the root,"
                                + " it is set once for all targets"),
                        tuple(2, "targets[0].shutdown-grace", "unknown key in a target: `shutdown-grace` belongs at"
                                + " the root, it is set once for all targets"));
    }

    @Test
    void theWebhookUrlNeverAppearsInConfigShowOrAnyToString() throws Exception {
        ConfigFiles.write(dir, "hook-url", HOOK + "/file");
        Settings settings = load("""
                alerts.webhooks = [
                  { name = inline, url = "%1$s" }
                  { name = env, url-env = SLACK_URL }
                  { name = file, url-file = hook-url }
                ]
                """.formatted(HOOK) + TARGET, Map.of("SLACK_URL", HOOK));

        String shown = SettingsPrinter.masked(settings);
        assertThat(shown).doesNotContain("h00k-SECRET-99").contains("SLACK_URL", "hook-url");
        assertThat(ConfigFactory.parseString(shown).getConfigList("alerts.webhooks").get(0).getString("url"))
                .isEqualTo("********");
        assertThat(SettingsPrinter.masked(settings, "a")).doesNotContain("h00k-SECRET-99");
        assertThat(settings.effective().toString()).doesNotContain("h00k-SECRET-99");
        assertThat(settings.toString()).doesNotContain("h00k-SECRET-99").contains("name=inline", "env SLACK_URL");
        assertThat(settings.alerts().toString()).doesNotContain("h00k-SECRET-99");
        for (WebhookSettings webhook : settings.alerts().webhooks()) {
            assertThat(webhook.toString()).doesNotContain("h00k-SECRET-99").contains("********");
        }
    }

    @Test
    void theRedactorMasksTheTokenAndEveryWebhookUrl() throws Exception {
        Settings settings = load("""
                http.token-env = WATCHDOG_TOKEN
                alerts.webhooks = [ { url = "%s" }, { url-env = OTHER_URL, format = alertmanager } ]
                """.formatted(HOOK) + TARGET,
                Map.of("WATCHDOG_TOKEN", TOKEN, "OTHER_URL", "https://am.example.com/api/v2/alerts?key=k3y-VALUE"));

        String out = new Redactor(settings).apply("token " + TOKEN + ", hook " + HOOK + ", other "
                + "https://am.example.com/api/v2/alerts?key=k3y-VALUE");

        assertThat(out).doesNotContain(TOKEN, "h00k-SECRET-99", "k3y-VALUE")
                .isEqualTo("token ********, hook ********, other ********");
    }

    @Test
    void theRedactorMasksAWholeUrlEvenWhenAPasswordIsPartOfIt() throws Exception {
        Settings settings = load("""
                alerts.webhooks = [ { url = "https://hooks.example.com/abc/p4ss-word/xyz" } ]
                targets = [ { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p4ss-word" } ]
                """, Map.of());

        assertThat(new Redactor(settings).apply("posting to https://hooks.example.com/abc/p4ss-word/xyz"))
                .isEqualTo("posting to ********");
    }

    private Settings load(String text, Map<String, String> env) throws InvalidConfigException {
        return SettingsLoader.load(Optional.of(ConfigFiles.write(dir, "watchdog.conf", text)), env);
    }

    private List<ConfigProblem> problemsOf(String text, Map<String, String> env) {
        return BrokenConfigTest.problemsOf(ConfigFiles.write(dir, "watchdog.conf", text), env);
    }
}
