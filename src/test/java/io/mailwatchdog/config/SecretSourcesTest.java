package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecretSourcesTest {
    @TempDir
    Path dir;

    @Test
    void readsThePasswordFromTheNamedEnvironmentVariable() throws Exception {
        Secret secret = secretOf("password-env = \"ODOO_PW\"", Map.of("ODOO_PW", "api-key-1"));

        assertThat(secret.reveal()).isEqualTo("api-key-1");
        assertThat(secret.source()).isEqualTo(Secret.Source.ENV);
        assertThat(secret.origin()).isEqualTo("env ODOO_PW");
    }

    @Test
    void readsThePasswordFileRelativeToTheConfigFileAndTrimsItsTrailingNewline() throws Exception {
        ConfigFiles.write(dir, "secrets/pw", "  pass word \n\n");

        Secret secret = secretOf("password-file = \"secrets/pw\"", Map.of());

        assertThat(secret.reveal()).isEqualTo("  pass word");
        assertThat(secret.source()).isEqualTo(Secret.Source.FILE);
        assertThat(secret.origin()).isEqualTo("file " + dir.toAbsolutePath().resolve("secrets/pw"));
    }

    @Test
    void rejectsAnEmptyPasswordFileAnEmptyVariableAndAMissingFile() {
        ConfigFiles.write(dir, "empty-pw", "\n");
        Path file = ConfigFiles.write(dir, "watchdog.conf", """
                targets = [
                  { name = "a", url = "https://a.example.com", database = "d", login = "l", password-file = "empty-pw" }
                  { name = "b", url = "https://b.example.com", database = "d", login = "l", password-env = "EMPTY" }
                  { name = "c", url = "https://c.example.com", database = "d", login = "l", password-file = "/no/such/pw" }
                  { name = "d", url = "https://d.example.com", database = "d", login = "l", password = "" }
                ]
                """);

        assertThat(BrokenConfigTest.problemsOf(file, Map.of("EMPTY", ""))).extracting(ConfigProblem::message)
                .containsExactly(
                        "secret file " + dir.toAbsolutePath().resolve("empty-pw") + " is empty",
                        "environment variable EMPTY is empty",
                        "cannot read secret file /no/such/pw: it does not exist",
                        "must not be empty");
    }

    @Test
    void secretsAreEqualWhenValueAndSourceAreEqualSoAReloadSeesAChange() {
        assertThat(Secret.fromEnv("A", "x")).isEqualTo(Secret.fromEnv("B", "x"))
                .hasSameHashCodeAs(Secret.fromEnv("B", "x"))
                .isNotEqualTo(Secret.fromEnv("A", "y"))
                .isNotEqualTo(Secret.inline("x"));
    }

    private Secret secretOf(String secretLine, Map<String, String> env) throws InvalidConfigException {
        Path file = ConfigFiles.write(dir, "watchdog.conf", "targets = [ { name = a, url = \"https://a.example.com\","
                + " database = d, login = l\n  " + secretLine + "\n} ]\n");
        return SettingsLoader.load(Optional.of(file), env).targets().get(0).secret();
    }
}
