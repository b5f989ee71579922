package io.mailwatchdog.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTest {
    static final String SECRET = "s3cr3t-VALUE-42";

    @TempDir
    Path dir;

    @Test
    void theMaskedPrintoutShowsWhereSecretsAreButNeverAnInlinePassword() throws Exception {
        ConfigFiles.write(dir, "pw", SECRET + "\n");
        Settings settings = load("""
                targets = [
                  { name = inline, url = "https://a.example.com", database = d, login = l, password = "%s" }
                  { name = env, url = "https://b.example.com", database = d, login = l, password-env = ODOO_PW }
                  { name = file, url = "https://c.example.com", database = d, login = l, password-file = pw }
                ]
                """.formatted(SECRET));

        String printed = SettingsPrinter.masked(settings);

        assertThat(printed).doesNotContain(SECRET).contains("********", "ODOO_PW", "password-file", "check");
        var reparsed = ConfigFactory.parseString(printed);
        assertThat(reparsed.getConfigList("targets").get(0).getString("password")).isEqualTo("********");
        assertThat(reparsed.getConfigList("targets").get(0).getString("thresholds.oldest-outgoing-warn")).isEqualTo("15m");
    }

    @Test
    void noToStringOfTheSettingsShowsTheSecret() throws Exception {
        ConfigFiles.write(dir, "pw", SECRET);
        Settings settings = load("""
                targets = [
                  { name = inline, url = "https://a.example.com", database = d, login = l, password = "%s" }
                  { name = env, url = "https://b.example.com", database = d, login = l, password-env = ODOO_PW }
                  { name = file, url = "https://c.example.com", database = d, login = l, password-file = pw }
                ]
                """.formatted(SECRET));

        assertThat(settings.toString()).doesNotContain(SECRET);
        assertThat(settings.effective().toString()).doesNotContain(SECRET);
        for (TargetSettings target : settings.targets()) {
            assertThat(target.secret().reveal()).isEqualTo(SECRET);
            assertThat(target.toString()).doesNotContain(SECRET);
            assertThat(target.secret()).hasToString("******** (" + target.secret().origin() + ")");
        }
        assertThat(settings.target("env").orElseThrow().secret()).hasToString("******** (env ODOO_PW)");
    }

    @Test
    void noProblemMessageShowsTheSecret() {
        Path file = ConfigFiles.write(dir, "watchdog.conf", """
                pasword = "%1$s"
                targets = [
                  { name = a, url = "https://admin:%1$s@erp.example.com", database = d, login = l, password = "%1$s" }
                  { name = b, url = "https://b.example.com", database = d, login = l, password = "%1$s", password-env = X }
                  { name = c, url = "https://c.example.com", database = d, login = l, password { v = "%1$s" } }
                  { name = d, url = "https://c.example.com/%1$s has space", database = d, login = l, password = "p" }
                  { name = e, url = "https://e.example.com", database = d, login = l, pasword = "%1$s" }
                ]
                """.formatted(SECRET));

        InvalidConfigException e = BrokenConfigTest.failureOf(file, Map.of());

        assertThat(e.problems()).hasSize(7).allSatisfy(p -> assertThat(p.toString()).doesNotContain(SECRET));
        assertThat(e.getMessage()).doesNotContain(SECRET).contains("user:password@");
    }

    private Settings load(String text) throws InvalidConfigException {
        return SettingsLoader.load(Optional.of(ConfigFiles.write(dir, "watchdog.conf", text)), Map.of("ODOO_PW", SECRET));
    }
}
