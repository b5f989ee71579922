package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
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
    }
}
