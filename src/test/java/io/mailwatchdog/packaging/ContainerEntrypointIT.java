package io.mailwatchdog.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ENTRYPOINT and JAVA_OPTS, run as the container would run them, against the jar that
 * mvn package built (an integration test: it needs the jar). Only the jar's path differs from the image.
 */
class ContainerEntrypointIT {
    final Dockerfile.Stage runtime = Dockerfile.parse(Packaging.read(Packaging.DOCKERFILE)).get(1);

    @TempDir
    Path dir;

    @Test
    void theEntrypointStartsTheJarWithTheImagesJavaOptsAndPassesTheArgumentsOn() throws Exception {
        Packaging.Result result = Packaging.run(entrypoint("version"), environment(), 60);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("odoo-mail-watchdog ");
    }

    @Test
    void theShellReplacesItselfWithJavaSoThatSigtermReachesTheJvm() throws Exception {
        try (ServerSocket silentOdoo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Path conf = Files.writeString(dir.resolve("watchdog.conf"), """
                    state-dir = "%s"
                    targets = [ { name = silent, url = "http://127.0.0.1:%d", database = odoo, login = watchdog, password = pw } ]
                    """.formatted(dir.resolve("state"), silentOdoo.getLocalPort()));
            CompletableFuture<Socket> connected = CompletableFuture.supplyAsync(() -> {
                try {
                    return silentOdoo.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ProcessBuilder builder = new ProcessBuilder(entrypoint("-c", conf.toString(), "check"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
            builder.environment().putAll(environment());
            Process container = builder.start();
            try (Socket probe = connected.get(60, TimeUnit.SECONDS)) {
                // The JVM runs the command (it connected and waits for Odoo's reply)...
                String command = ProcessHandle.of(container.pid()).orElseThrow().info().command().orElse("");
                // ...as the very process that was started: no shell stays between it and the signal.
                assertThat(command).endsWith(File.separator + "java");
                assertThat(container.descendants()).isEmpty();

                container.destroy(); // SIGTERM

                assertThat(container.waitFor(30, TimeUnit.SECONDS)).as("the JVM exits on SIGTERM").isTrue();
                assertThat(container.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isEqualTo(128 + 15);
            } finally {
                container.descendants().forEach(ProcessHandle::destroyForcibly);
                container.destroyForcibly();
            }
        }
    }

    /** ENTRYPOINT + arguments, with the built jar in place of the image's path. */
    private List<String> entrypoint(String... arguments) throws Exception {
        Path jar = Path.of(Packaging.builtJar()).toAbsolutePath();
        assertThat(jar).as("mvn package builds it before the integration tests").isRegularFile();
        List<String> command = new ArrayList<>();
        for (String part : new ObjectMapper().readValue(runtime.last("ENTRYPOINT"), String[].class)) {
            command.add(part.replace(Packaging.JAR, jar.toString()));
        }
        command.addAll(Arrays.asList(arguments));
        return command;
    }

    /** The image's JAVA_OPTS, and this JVM's java first on the PATH (the image's is on its PATH). */
    private Map<String, String> environment() {
        String path = Path.of(Packaging.java()).getParent() + File.pathSeparator + System.getenv().getOrDefault("PATH", "");
        return Map.of("JAVA_OPTS", runtime.env("JAVA_OPTS"), "PATH", path);
    }
}
