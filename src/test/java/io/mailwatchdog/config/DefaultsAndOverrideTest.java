package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultsAndOverrideTest {
    @TempDir
    Path dir;

    static final String ONE_TARGET = """
            targets = [ { name = "prod", url = "https://erp.example.com/", database = "prod", login = "watchdog",
                          password = "pw" } ]
            """;

    @Test
    void appliesEveryReferenceDefaultWhenTheFileSetsOnlyItsTargets() throws Exception {
        Settings settings = load(ONE_TARGET, Map.of("STATE_DIRECTORY", "/var/lib/odoo-mail-watchdog"));
        TargetSettings prod = settings.target("prod").orElseThrow();

        assertThat(settings.checkTimeout()).isEqualTo(Duration.ofSeconds(50));
        assertThat(settings.http()).isEqualTo(new HttpSettings("127.0.0.1", 9464, Optional.empty()));
        assertThat(settings.alerts()).isEqualTo(new AlertsSettings(List.of(), Duration.ofHours(4), 6,
                Duration.ofSeconds(2), Duration.ofSeconds(10)));
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/odoo-mail-watchdog"));
        assertThat(prod.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30)));
        assertThat(prod.thresholds()).isEqualTo(new Thresholds(Duration.ofMinutes(15), Duration.ofMinutes(60),
                Duration.ofMinutes(10), Duration.ofMinutes(60), 1, 50, 1, 3));
        assertThat(prod.probe()).isEqualTo(new ProbeSettings(200, 16L * 1024 * 1024, true, Duration.ofHours(1), 4));
        assertThat(prod.tls().caFile()).isEmpty();
        assertThat(prod.allowInsecureHttp()).isFalse();
        assertThat(prod.mode()).isEqualTo(Mode.ACT);
        assertThat(prod.schedule()).isEqualTo(new ScheduleSettings(Duration.ofSeconds(60), Duration.ofMinutes(5)));
        assertThat(prod.schedulerWatchdog()).isEqualTo(new SchedulerWatchdogSettings(true, Duration.ofMinutes(10),
                Duration.ofMinutes(30)));
        assertThat(prod.flush()).isEqualTo(new FlushSettings(true, Duration.ofMinutes(5), 100, 5, Duration.ofMinutes(5)));
        assertThat(prod.lock()).isEqualTo(new LockSettings(Duration.ofMinutes(15), Duration.ofSeconds(3), Duration.ofMinutes(2)));
    }

    @Test
    void aTargetOverridesSingleKeysOfModeScheduleSchedulerWatchdogFlushAndLockAndInheritsTheRest() throws Exception {
        Settings settings = load("""
                mode = observe
                schedule.smtp-test-interval = 15m
                flush { batch-size = 50, call-timeout = 2m }
                targets = [
                  { name = "a", url = "https://a.example.com", database = "a", login = "l", password = "p",
                    mode = ACT, schedule { probe-interval = 10s }, scheduler-watchdog.enabled = false,
                    flush { after = 30s }, lock.settle-interval = 1s }
                  { name = "b", url = "https://b.example.com", database = "b", login = "l", password = "p" }
                ]
                """, Map.of());
        TargetSettings a = settings.target("a").orElseThrow();
        TargetSettings b = settings.target("b").orElseThrow();

        assertThat(a.mode()).isEqualTo(Mode.ACT);
        assertThat(a.schedule()).isEqualTo(new ScheduleSettings(Duration.ofSeconds(10), Duration.ofMinutes(15)));
        assertThat(a.schedulerWatchdog()).isEqualTo(new SchedulerWatchdogSettings(false, Duration.ofMinutes(10),
                Duration.ofMinutes(30)));
        assertThat(a.flush()).isEqualTo(new FlushSettings(true, Duration.ofSeconds(30), 50, 5, Duration.ofMinutes(2)));
        assertThat(a.lock()).isEqualTo(new LockSettings(Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofMinutes(2)));

        assertThat(b.mode()).isEqualTo(Mode.OBSERVE);
        assertThat(b.schedule()).isEqualTo(new ScheduleSettings(Duration.ofSeconds(60), Duration.ofMinutes(15)));
        assertThat(b.schedulerWatchdog().enabled()).isTrue();
        assertThat(b.flush()).isEqualTo(new FlushSettings(true, Duration.ofMinutes(5), 50, 5, Duration.ofMinutes(2)));
        assertThat(b.lock()).isEqualTo(new LockSettings(Duration.ofMinutes(15), Duration.ofSeconds(3), Duration.ofMinutes(2)));
    }

    @Test
    void readsTheTargetIdentityAndDropsTheUrlsTrailingSlash() throws Exception {
        TargetSettings prod = load(ONE_TARGET, Map.of()).targets().get(0);

        assertThat(prod.name()).isEqualTo("prod");
        assertThat(prod.url()).isEqualTo(URI.create("https://erp.example.com"));
        assertThat(prod.database()).isEqualTo("prod");
        assertThat(prod.login()).isEqualTo("watchdog");
        assertThat(prod.secret().reveal()).isEqualTo("pw");
        assertThat(prod.secret().source()).isEqualTo(Secret.Source.INLINE);
    }

    @Test
    void aTargetOverridingOneThresholdKeepsTheOthersFromTheRootAndFromReference() throws Exception {
        Settings settings = load("""
                thresholds { oldest-outgoing-fail = 3h }
                probe.concurrency = 2
                targets = [
                  { name = "a", url = "https://a.example.com", database = "a", login = "l", password = "p",
                    thresholds { oldest-outgoing-warn = 2h }, timeouts.reply = 90s }
                  { name = "b", url = "https://b.example.com", database = "b", login = "l", password = "p" }
                ]
                """, Map.of());
        TargetSettings a = settings.target("a").orElseThrow();
        TargetSettings b = settings.target("b").orElseThrow();

        assertThat(a.thresholds().oldestOutgoingWarn()).isEqualTo(Duration.ofHours(2));
        assertThat(a.thresholds().oldestOutgoingFail()).isEqualTo(Duration.ofHours(3));
        assertThat(a.thresholds().schedulerOverdueWarn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.timeouts().reply()).isEqualTo(Duration.ofSeconds(90));
        assertThat(a.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.probe().concurrency()).isEqualTo(2);

        assertThat(b.thresholds().oldestOutgoingWarn()).isEqualTo(Duration.ofMinutes(15));
        assertThat(b.thresholds().oldestOutgoingFail()).isEqualTo(Duration.ofHours(3));
        assertThat(b.timeouts().reply()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void acceptsAProxyPathPrefixAndPlainHttpToClusterLocalOrAllowedHosts() throws Exception {
        Settings settings = load("""
                targets = [
                  { name = "proxied", url = "https://example.com/odoo/", database = "d", login = "l", password = "p" }
                  { name = "pod", url = "http://odoo:8069", database = "d", login = "l", password = "p" }
                  { name = "lan", url = "http://10.0.0.5:8069", database = "d", login = "l", password = "p",
                    allow-insecure-http = true }
                ]
                """, Map.of());

        assertThat(settings.targets()).extracting(t -> t.url().toString())
                .containsExactly("https://example.com/odoo", "http://odoo:8069", "http://10.0.0.5:8069");
        assertThat(settings.target("lan").orElseThrow().allowInsecureHttp()).isTrue();
        assertThat(settings.target("nope")).isEmpty();
    }

    @Test
    void resolvesACaFileRelativeToTheConfigFile() throws Exception {
        ConfigFiles.write(dir, "ca.pem", testCaPem());
        Settings settings = load("tls.ca-file = ca.pem\n" + ONE_TARGET, Map.of());

        assertThat(settings.targets().get(0).tls().caFile()).contains(dir.toAbsolutePath().resolve("ca.pem"));
    }

    @Test
    void aCaFileWithoutACertificateIsAProblemAtItsLine() {
        ConfigFiles.write(dir, "ca.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n");
        Path file = ConfigFiles.write(dir, "watchdog.conf", "\ntls.ca-file = ca.pem\n" + ONE_TARGET);

        assertThat(BrokenConfigTest.problemsOf(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.path()).isEqualTo("tls.ca-file");
            assertThat(p.message()).contains("no PEM or DER X.509 certificate");
        });
    }

    @Test
    void aHugeExceptionSampleOrResponseCapIsRefused() {
        Path file = ConfigFiles.write(dir, "watchdog.conf",
                "probe.exception-sample = 100000\nprobe.max-response-size = 4GiB\n" + ONE_TARGET);
        assertThat(BrokenConfigTest.problemsOf(file, Map.of())).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("probe.exception-sample", "probe.max-response-size");
    }

    static String testCaPem() throws java.io.IOException {
        try (java.io.InputStream in = DefaultsAndOverrideTest.class.getResourceAsStream("/tls/test-ca.pem")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void rejectsAnUnreadableCaFileOnceThoughEveryTargetInheritsIt() {
        Path file = ConfigFiles.write(dir, "watchdog.conf", """
                tls.ca-file = "/nonexistent/ca.pem"
                targets = [
                  { name = "a", url = "https://a.example.com", database = "d", login = "l", password = "p" }
                  { name = "b", url = "https://b.example.com", database = "d", login = "l", password = "p" }
                ]
                """);

        assertThat(BrokenConfigTest.problemsOf(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.path()).isEqualTo("tls.ca-file");
            assertThat(p.message()).contains("/nonexistent/ca.pem").contains("not a readable file");
        });
    }

    @Test
    void effectiveConfigHoldsOnlyKnownRootKeysAndEachTargetAfterOverride() throws Exception {
        Settings settings = load("thresholds.oldest-outgoing-fail = 3h\n" + ONE_TARGET, Map.of());

        assertThat(settings.effective().root().keySet())
                .containsExactlyInAnyOrder("state-dir", "timeouts", "thresholds", "probe", "tls",
                        "allow-insecure-http", "mode", "schedule", "scheduler-watchdog", "flush", "lock", "retry", "stale", "journal",
                        "check", "http", "alerts", "shutdown-grace", "targets");
        assertThat(settings.effective().getConfigList("targets").get(0).getString("thresholds.oldest-outgoing-fail"))
                .isEqualTo("3h");
    }

    @Test
    void everyKeyOfTheReferenceHasAComment() {
        List<String> uncommented = new java.util.ArrayList<>();
        collectUncommented(com.typesafe.config.ConfigFactory.parseResources("reference.conf").root(), "", uncommented);

        assertThat(uncommented).isEmpty();
    }

    private static void collectUncommented(com.typesafe.config.ConfigObject block, String prefix,
                                           List<String> uncommented) {
        block.forEach((key, value) -> {
            if (value.origin().comments().stream().allMatch(String::isBlank)) {
                uncommented.add(prefix + key);
            }
            if (value instanceof com.typesafe.config.ConfigObject child) {
                collectUncommented(child, prefix + key + ".", uncommented);
            }
        });
    }

    private Settings load(String text, Map<String, String> env) throws InvalidConfigException {
        return SettingsLoader.load(Optional.of(ConfigFiles.write(dir, "watchdog.conf", text)), env);
    }
}
