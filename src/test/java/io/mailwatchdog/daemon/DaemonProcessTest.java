package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.simulator.SimulatedOdoo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a real child process (the test's classpath), against the simulated Odoo: SIGHUP with a
 * broken config keeps the last good one, a good change is applied, SIGTERM stops it with exit 0, and a
 * second daemon on the same state-dir is refused.
 */
class DaemonProcessTest {

    @TempDir
    Path dir;

    final SimulatedOdoo odoo = new SimulatedOdoo(Clock.systemUTC());
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    Process daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.destroyForcibly();
        }
        odoo.close();
    }

    String config(String targets) {
        return """
                state-dir = "%s"
                http { port = 0 }
                schedule { probe-interval = 1s, smtp-test-interval = 1h }
                targets = [ %s ]
                """.formatted(dir.resolve("state"), targets);
    }

    String target(String name) {
        return "{ name = " + name + ", url = \"" + odoo.url() + "\", database = " + name
                + ", login = admin, password = admin, mode = observe }";
    }

    Process start(Path conf, List<String> stdout, List<String> stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "io.mailwatchdog.cli.Main", "-c", conf.toString(), "run", "--reload-check", "1").start();
        pump(p.getInputStream(), stdout);
        pump(p.getErrorStream(), stderr);
        return p;
    }

    static void pump(java.io.InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(40);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(end);
            Thread.sleep(50);
        }
    }

    int port() {
        Pattern p = Pattern.compile("status http://127\\.0\\.0\\.1:(\\d+)/");
        for (String line : out) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean statusHas(String text) {
        try {
            return get("/status").body().replace(" ", "").contains(text); // /status is indented
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sighupWithABrokenConfigKeepsTheLastGoodOneAGoodChangeIsAppliedAndSigtermExitsZero() throws Exception {
        odoo.addDatabase("shop", "18.0");
        odoo.addDatabase("depot", "17.0");
        Path conf = dir.resolve("watchdog.conf");
        Files.writeString(conf, config(target("shop")));
        daemon = start(conf, out, err);
        await("the daemon's first line", () -> port() > 0);
        await("/readyz", () -> {
            try {
                return get("/readyz").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        await("a report of shop", () -> statusHas("\"target\":\"shop\""));

        Files.writeString(conf, config(target("shop")) + "\nflush { batch-size = -3 }\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start().waitFor();
        await("the refusal of the broken config", () -> err.stream().anyMatch(l -> l.contains("the last good one stays in force")
                && l.contains("flush.batch-size")));
        assertThat(daemon.isAlive()).isTrue();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(statusHas("\"target\":\"shop\"")).isTrue();

        Files.writeString(conf, config(target("shop") + ", " + target("depot")));
        await("the new target on /status", () -> statusHas("\"target\":\"depot\""));
        assertThat(err).anyMatch(l -> l.contains("config reloaded"));

        assertThat(daemon.isAlive()).as("alive before SIGTERM; stderr %s", err).isTrue();
        // kill, not Process.destroy(): destroy() also closes our ends of its stdout and stderr
        new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).start().waitFor();
        assertThat(daemon.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as("exit after SIGTERM; stderr: %s", err).isZero();
        await("the last line in " + out, () -> out.stream().anyMatch(l -> l.startsWith("stopped")));
    }

    @Test
    void aSecondDaemonOnTheSameStateDirIsRefusedWithExitTwo() throws Exception {
        odoo.addDatabase("shop", "18.0");
        Path conf = dir.resolve("watchdog.conf");
        Files.writeString(conf, config(target("shop")));
        daemon = start(conf, out, err);
        await("the first daemon's first line", () -> port() > 0);
        List<String> out2 = new CopyOnWriteArrayList<>();
        List<String> err2 = new CopyOnWriteArrayList<>();
        Process second = start(conf, out2, err2);
        try {
            assertThat(second.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            await("the reason", () -> err2.stream().anyMatch(l -> l.contains("another daemon runs with the state-dir")));
        } finally {
            second.destroyForcibly();
        }
    }

    @Test
    void aBrokenConfigAtStartExitsSeventyEightNamingFileLineAndKey() throws Exception {
        Path conf = dir.resolve("watchdog.conf");
        Files.writeString(conf, config("{ name = shop, url = \"" + odoo.url() + "\", database = shop, login = admin,"
                + " password = admin, mode = obsrve }"));
        daemon = start(conf, out, err);
        assertThat(daemon.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(78);
        await("the problem", () -> err.stream().anyMatch(l -> l.contains("watchdog.conf") && l.contains("mode")
                && l.contains("observe")));
    }
}
