package io.mailwatchdog.packaging;

import static io.mailwatchdog.packaging.Packaging.CONFIG;
import static io.mailwatchdog.packaging.Packaging.JAR;
import static io.mailwatchdog.packaging.Packaging.STATE_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mailwatchdog.cli.ExitCodes;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd/odoo-mail-watchdog.service and its sysusers.d file: the "service on the Odoo host" shape. */
class SystemdUnitTest {
    static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    static final Path SYSTEMD_SYSUSERS = Path.of("/usr/bin/systemd-sysusers");

    final Map<String, List<String>> service = section("Service");

    @TempDir
    Path dir;

    @Test
    void theServiceRunsTheDaemonFromTheJarWithTheConfigInEtc() {
        assertThat(one("ExecStart"))
                .isEqualTo("/usr/bin/java $JAVA_OPTS -jar " + JAR + " -c " + CONFIG + " run");
        assertThat(one("Type")).isEqualTo("exec");
    }

    @Test
    void theServiceRunsAsTheUnprivilegedUserThatItsSysusersFileCreates() {
        assertThat(one("User")).isEqualTo("odoo-mail-watchdog");
        assertThat(one("Group")).isEqualTo("odoo-mail-watchdog");
        assertThat(service).doesNotContainKey("DynamicUser");
        assertThat(sysusersLines()).containsExactly(List.of("u", "odoo-mail-watchdog", "-", "\"Odoo mail watchdog\"", STATE_DIR));
    }

    @Test
    void theSysusersFileCreatesASystemUserWithoutALoginShellWhenSystemdSysusersRunsIt() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_SYSUSERS), "systemd-sysusers is not installed");
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc/sysusers.d"));
        Files.copy(Packaging.SYSUSERS, root.resolve("etc/sysusers.d/odoo-mail-watchdog.conf"));

        Packaging.Result result = Packaging.run(List.of(SYSTEMD_SYSUSERS.toString(), "--root=" + root));

        assertThat(result.exit()).as(result.output()).isZero();
        String user = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("odoo-mail-watchdog:")).findFirst().orElseThrow();
        String[] fields = user.split(":");
        assertThat(Integer.parseInt(fields[2])).as("a system uid").isBetween(1, 999);
        assertThat(fields[5]).isEqualTo(STATE_DIR);
        assertThat(fields[6]).isEqualTo("/usr/sbin/nologin");
    }

    @Test
    void theStateLivesInTheStateDirectoryThatSystemdCreatesAndTheEmptyStateDirPicksIt() throws Exception {
        assertThat(one("StateDirectory")).isEqualTo("odoo-mail-watchdog");
        Path conf = Files.writeString(dir.resolve("watchdog.conf"), """
                targets = [ { name = local, url = "http://127.0.0.1:8069", database = odoo, login = watchdog, password = pw } ]
                """);

        // systemd passes StateDirectory= as $STATE_DIRECTORY, under /var/lib for a system service.
        Settings settings = SettingsLoader.load(Optional.of(conf),
                Map.of("STATE_DIRECTORY", "/var/lib/" + one("StateDirectory")));

        assertThat(settings.stateDir()).isEqualTo(Path.of(STATE_DIR));
    }

    @Test
    void theOdooPasswordComesAsACredentialThatAConfigNamesThroughCredentialsDirectory() throws Exception {
        String[] credential = one("LoadCredential").split(":", 2);
        assertThat(credential[1]).startsWith(Packaging.CONFIG_DIR + "/");
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve(credential[0]), "the-api-key\n");
        Path conf = Files.writeString(dir.resolve("watchdog.conf"), """
                targets = [ { name = local, url = "http://127.0.0.1:8069", database = odoo, login = watchdog,
                              password-file = ${CREDENTIALS_DIRECTORY}"/%s" } ]
                """.formatted(credential[0]));

        // SettingsLoader resolves ${CREDENTIALS_DIRECTORY} from the environment systemd gives the service.
        Settings settings = SettingsLoader.load(Optional.of(conf), Map.of("CREDENTIALS_DIRECTORY", credentials.toString()));

        assertThat(settings.targets().get(0).secret().reveal()).isEqualTo("the-api-key");
        assertThat(one("EnvironmentFile")).as("the documented alternative, optional").isEqualTo("-" + Packaging.CONFIG_DIR + "/environment");
    }

    @Test
    void logsGoToJournald() {
        assertThat(one("StandardOutput")).isEqualTo("journal");
        assertThat(one("StandardError")).isEqualTo("journal");
        assertThat(one("SyslogIdentifier")).isEqualTo("odoo-mail-watchdog");
    }

    @Test
    void anInvalidConfigIsNotRestartedButOtherFailuresAre() {
        assertThat(one("Restart")).isEqualTo("on-failure");
        assertThat(one("RestartPreventExitStatus").split("\\s+")).contains(String.valueOf(ExitCodes.CONFIG));
        assertThat(one("SuccessExitStatus").split("\\s+")).as("the JVM's exit on SIGTERM").contains("143");
    }

    @Test
    void systemdWaitsLongerThanTheThirtySecondDrainBeforeKilling() {
        assertThat(one("KillSignal")).isEqualTo("SIGTERM");
        assertThat(seconds(one("TimeoutStopSec"))).isGreaterThan(Duration.ofSeconds(30));
    }

    @Test
    void theSandboxIsAsTightAsAJvmAllows() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ProtectSystem", "strict");
        expected.put("ProtectHome", "yes");
        expected.put("PrivateTmp", "yes");
        expected.put("PrivateDevices", "yes");
        expected.put("NoNewPrivileges", "yes");
        expected.put("CapabilityBoundingSet", "");
        expected.put("AmbientCapabilities", "");
        expected.put("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX");
        expected.put("ProtectKernelTunables", "yes");
        expected.put("ProtectKernelModules", "yes");
        expected.put("ProtectControlGroups", "yes");
        expected.put("RestrictNamespaces", "yes");
        expected.put("RestrictSUIDSGID", "yes");
        expected.put("LockPersonality", "yes");
        expected.put("SystemCallArchitectures", "native");
        expected.put("UMask", "0077");
        expected.forEach((key, value) -> assertThat(one(key)).as(key).isEqualTo(value));
        assertThat(service.get("SystemCallFilter")).containsExactly("@system-service", "~@privileged @resources");
        assertThat(one("SystemCallErrorNumber")).as("a refused call fails, it does not kill the JVM").isEqualTo("EPERM");
    }

    @Test
    void memoryDenyWriteExecuteStaysOffBecauseTheJitWritesTheCodeItRuns() {
        assertThat(service).doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(javaOpts()).doesNotContain("-Xint");
    }

    @Test
    void theHeapSettingsOfThisShapeAreInOnePlaceAndStartAJvm() throws Exception {
        assertThat(service.get("Environment")).filteredOn(e -> e.contains("JAVA_OPTS")).hasSize(1);
        List<String> options = javaOpts();
        assertThat(options).contains("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");

        List<String> command = new ArrayList<>();
        command.add(Packaging.java());
        command.addAll(options);
        command.add("-version");
        Packaging.Result result = Packaging.run(command);

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        Path unit = Packaging.UNIT;
        String execStart = one("ExecStart").split(" ")[0];
        if (!Files.isExecutable(Path.of(execStart))) {
            // verify checks that ExecStart's program exists; on a machine without /usr/bin/java, check
            // a copy (same file name) that starts this JVM's java instead. Everything else is as shipped.
            unit = dir.resolve(Packaging.UNIT.getFileName());
            Files.writeString(unit, Packaging.read(Packaging.UNIT).replace("ExecStart=" + execStart, "ExecStart=" + Packaging.java()));
        }

        Packaging.Result result = Packaging.run(List.of(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", unit.toString()));

        // verify exits 0 even for unknown keys and unparsable values (it ignores them): silence is the pass.
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).isEmpty();
    }

    @Test
    void theExposureScoreOfSystemdAnalyzeSecurityIsNoWorseThanReadmeSays() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        Packaging.Result help = Packaging.run(List.of(SYSTEMD_ANALYZE.toString(), "--help"));
        assumeTrue(help.output().contains("--offline"), "this systemd-analyze has no --offline (systemd < 250)");

        Packaging.Result result = Packaging.run(List.of(SYSTEMD_ANALYZE.toString(), "security", "--offline=true",
                "--no-pager", Packaging.UNIT.toString()));

        Matcher measured = Pattern.compile("Overall exposure level for odoo-mail-watchdog\\.service: (\\d+\\.\\d)")
                .matcher(result.output());
        assertThat(measured.find()).as(result.output()).isTrue();
        Matcher documented = Pattern.compile("exposure level of \\*\\*(\\d+\\.\\d)\\*\\*").matcher(Packaging.read(Packaging.README));
        assertThat(documented.find()).as("README.md states the exposure level as **N.N**").isTrue();
        assertThat(Double.parseDouble(measured.group(1))).isLessThanOrEqualTo(Double.parseDouble(documented.group(1)));
    }

    // --- reading the unit ---

    private String one(String key) {
        List<String> values = service.get(key);
        assertThat(values).as("[Service] " + key + "=").isNotNull().hasSize(1);
        return values.get(0);
    }

    private List<String> javaOpts() {
        String environment = service.get("Environment").stream().filter(e -> e.contains("JAVA_OPTS=")).findFirst().orElseThrow();
        String value = environment.replaceFirst("^\"?JAVA_OPTS=", "").replaceFirst("\"$", "");
        return Arrays.asList(value.trim().split("\\s+"));
    }

    /** The keys of one section, each with its values in order (a key may repeat). */
    static Map<String, List<String>> section(String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String raw : Packaging.read(Packaging.UNIT).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = line.substring(1, line.length() - 1);
                continue;
            }
            if (name.equals(current)) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return keys;
    }

    private static List<List<String>> sysusersLines() {
        List<List<String>> lines = new ArrayList<>();
        for (String raw : Packaging.read(Packaging.SYSUSERS).split("\n")) {
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                lines.add(Arrays.asList(line.split("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")));
            }
        }
        return lines;
    }

    private static Duration seconds(String timespan) {
        Matcher m = Pattern.compile("(\\d+)(s|min)?").matcher(timespan);
        assertThat(m.matches()).as("a timespan in s or min: " + timespan).isTrue();
        long n = Long.parseLong(m.group(1));
        return "min".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }
}
