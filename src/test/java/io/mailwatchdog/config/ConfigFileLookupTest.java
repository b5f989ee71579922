package io.mailwatchdog.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigFileLookupTest {
    static final String TARGET = "targets = [ { name = %s, url = \"https://a.example.com\", database = d, login = l, password = p } ]\n";

    @TempDir
    Path dir;
    Path explicit;
    Path fromEnv;
    Path system;
    Path local;

    @BeforeEach
    void writeOneFilePerPlace() {
        explicit = ConfigFiles.write(dir, "explicit.conf", TARGET.formatted("explicit"));
        fromEnv = ConfigFiles.write(dir, "env.conf", TARGET.formatted("env"));
        system = ConfigFiles.write(dir, "etc/watchdog.conf", TARGET.formatted("system"));
        local = ConfigFiles.write(dir, "config/watchdog.conf", TARGET.formatted("local"));
    }

    @Test
    void prefersTheExplicitFileOverTheEnvironmentVariable() throws Exception {
        assertThat(loadedName(Optional.of(explicit), envNaming(fromEnv), locator())).isEqualTo("explicit");
    }

    @Test
    void prefersTheEnvironmentVariableOverTheSystemFile() throws Exception {
        assertThat(loadedName(Optional.empty(), envNaming(fromEnv), locator())).isEqualTo("env");
    }

    @Test
    void prefersTheSystemFileOverTheLocalOne() throws Exception {
        assertThat(loadedName(Optional.empty(), Map.of(), locator())).isEqualTo("system");
    }

    @Test
    void fallsBackToTheLocalFileLast() throws Exception {
        ConfigFileLocator noSystemFile = new ConfigFileLocator(dir.resolve("absent/watchdog.conf"), local);

        assertThat(loadedName(Optional.empty(), Map.of(), noSystemFile)).isEqualTo("local");
    }

    @Test
    void namesEveryPlaceLookedWhenNoFileExists() {
        ConfigFileLocator nothing = new ConfigFileLocator(dir.resolve("no/etc.conf"), dir.resolve("no/local.conf"));

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> SettingsLoader.load(Optional.empty(), Map.of(), nothing));

        assertThat(e.file()).isNull();
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .contains("-c", "ODOO_MAIL_WATCHDOG_CONFIG", dir.resolve("no/etc.conf").toString(),
                        dir.resolve("no/local.conf").toString());
    }

    @Test
    void aMissingFileNamedExplicitlyIsAnErrorNotAReasonToFallBack() {
        Path absent = dir.resolve("absent.conf");

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> SettingsLoader.load(Optional.empty(), envNaming(absent), locator()));

        assertThat(e.problems()).singleElement().hasToString(absent + ": config file not found (named by $ODOO_MAIL_WATCHDOG_CONFIG)");
    }

    private ConfigFileLocator locator() {
        return new ConfigFileLocator(system, local);
    }

    private static Map<String, String> envNaming(Path file) {
        return Map.of(ConfigFileLocator.ENV, file.toString());
    }

    private static String loadedName(Optional<Path> explicit, Map<String, String> env, ConfigFileLocator locator)
            throws InvalidConfigException {
        Settings settings = SettingsLoader.load(explicit, env, locator);
        return settings.targets().get(0).name();
    }
}
