package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ShippedExampleTest {
    static final Path EXAMPLE = Path.of("config/watchdog.conf");

    @TempDir
    Path credentials;

    @Test
    void theShippedExampleLoadsOnceItsSecretsAreProvided() throws Exception {
        ConfigFiles.write(credentials, "staging-password", "staging-pw\n");
        Map<String, String> env = Map.of("ODOO_PRODUCTION_PASSWORD", "prod-pw",
                "CREDENTIALS_DIRECTORY", credentials.toString());

        Settings settings = SettingsLoader.load(Optional.of(EXAMPLE), env);

        assertThat(settings.source()).isEqualTo(EXAMPLE);
        assertThat(settings.targets()).extracting(TargetSettings::name).containsExactly("production", "staging");
        TargetSettings production = settings.target("production").orElseThrow();
        TargetSettings staging = settings.target("staging").orElseThrow();
        assertThat(production.secret().reveal()).isEqualTo("prod-pw");
        assertThat(staging.secret().reveal()).isEqualTo("staging-pw");
        assertThat(staging.thresholds().oldestOutgoingWarn()).isEqualTo(Duration.ofHours(2));
        assertThat(staging.thresholds().schedulerOverdueWarn()).isEqualTo(production.thresholds().schedulerOverdueWarn());
        assertThat(production.mode()).isEqualTo(Mode.ACT);
        assertThat(settings.alerts().webhooks()).isEmpty();
    }

    @Test
    void theCommentedDaemonExampleLoadsOnceUncommented() throws Exception {
        ConfigFiles.write(credentials, "staging-password", "staging-pw\n");
        Path uncommented = ConfigFiles.write(credentials, "watchdog.conf", uncommentDaemonExample(Files.readString(EXAMPLE)));
        Map<String, String> env = Map.of("ODOO_PRODUCTION_PASSWORD", "prod-pw",
                "CREDENTIALS_DIRECTORY", credentials.toString(), "WATCHDOG_HTTP_TOKEN", "http-token",
                "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXX");

        Settings settings = SettingsLoader.load(Optional.of(uncommented), env);

        assertThat(settings.targets()).extracting(TargetSettings::mode).containsOnly(Mode.OBSERVE);
        assertThat(settings.http().bind()).isEqualTo("0.0.0.0");
        assertThat(settings.http().token().orElseThrow().reveal()).isEqualTo("http-token");
        assertThat(settings.alerts().webhooks()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("ops-slack");
            assertThat(w.format()).isEqualTo(WebhookSettings.Format.SLACK);
            assertThat(w.url().origin()).isEqualTo("env SLACK_WEBHOOK_URL");
        });
    }

    /** Removes the comment mark of the lines from "# mode = observe" to the end of the alerts block. */
    private static String uncommentDaemonExample(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int from = lines.indexOf("# mode = observe");
        int alerts = lines.indexOf("# alerts {");
        int to = lines.subList(alerts, lines.size()).indexOf("# }") + alerts;
        assertThat(from).as("the daemon example starts with # mode = observe").isNotNegative();
        assertThat(alerts).as("the daemon example has # alerts {").isGreaterThan(from);
        for (int i = from; i <= to; i++) {
            lines.set(i, lines.get(i).replaceFirst("^# ?", ""));
        }
        return String.join("\n", lines) + "\n";
    }
}
