package io.mailwatchdog.packaging;

import static io.mailwatchdog.packaging.Packaging.CONFIG;
import static io.mailwatchdog.packaging.Packaging.JAR;
import static io.mailwatchdog.packaging.Packaging.STATE_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.http.HttpEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read statically: no Docker engine runs where the tests run. ContainerEntrypointIT runs
 * its ENTRYPOINT and CMD against the built jar.
 */
class DockerfileTest {
    final List<Dockerfile.Stage> stages = Dockerfile.parse(Packaging.read(Packaging.DOCKERFILE));
    final Dockerfile.Stage build = stages.get(0);
    final Dockerfile.Stage runtime = stages.get(stages.size() - 1);

    @Test
    void theJarIsBuiltByMavenInABuildStageAndOnlyTheJarReachesTheRuntimeImage() throws Exception {
        assertThat(stages).hasSize(2);
        assertThat(build.from()).isEqualTo("maven:3-eclipse-temurin-17 AS build");
        assertThat(build.all("RUN")).anyMatch(r -> r.endsWith("mvn -B -ntp -DskipTests package"));
        assertThat(runtime.from()).isEqualTo("eclipse-temurin:17-jre");

        assertThat(runtime.all("COPY")).containsExactly("--from=build /build/" + Packaging.builtJar() + " " + JAR);
    }

    @Test
    void theBuildStageCopiesWhatTheBuildContextKeeps() {
        List<String> kept = Packaging.read(Packaging.DOCKERIGNORE).lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(kept.get(0)).as("everything is left out, then a few things let in").isEqualTo("*");
        assertThat(kept.subList(1, kept.size())).containsExactly("!pom.xml", "!src/main");
        assertThat(build.all("COPY")).containsExactly("pom.xml ./", "src ./src");
        assertThat(Path.of("pom.xml")).isRegularFile();
        assertThat(Path.of("src/main/java")).isDirectory();
    }

    @Test
    void theImageRunsAsANumericNonRootUserThatOwnsTheStateVolume() {
        String user = runtime.last("USER");
        assertThat(user).matches("\\d+:\\d+");
        int uid = Integer.parseInt(user.split(":")[0]);
        assertThat(uid).isPositive();
        assertThat(runtime.all("RUN")).anyMatch(r -> r.contains("useradd --system --uid " + uid)
                && r.contains("chown " + user + " " + STATE_DIR));
        assertThat(runtime.last("VOLUME")).isEqualTo("[\"" + STATE_DIR + "\"]");
        assertThat(runtime.env("STATE_DIRECTORY")).as("what state-dir = \"\" resolves to").isEqualTo(STATE_DIR);
    }

    @Test
    void theEntrypointIsInExecFormAndExecsJavaSoThatSigtermReachesTheJvm() throws Exception {
        List<String> entrypoint = json(runtime.last("ENTRYPOINT"));
        List<String> cmd = json(runtime.last("CMD"));

        assertThat(entrypoint.subList(0, 2)).containsExactly("/bin/sh", "-c");
        // The shell expands $JAVA_OPTS, then replaces itself with java: the JVM is PID 1.
        assertThat(entrypoint.get(2)).isEqualTo("exec java $JAVA_OPTS -jar " + JAR + " \"$@\"");
        assertThat(cmd).containsExactly("-c", CONFIG, "--log-format", "json", "run");
        assertThat(runtime.all("STOPSIGNAL")).as("the default, SIGTERM").isEmpty();
    }

    @Test
    void theImageExposesThePortTheHttpEndpointsUseByDefault() {
        assertThat(runtime.last("EXPOSE")).isEqualTo(String.valueOf(HttpEndpoints.DEFAULT_PORT));
    }

    @Test
    void theHeapSettingsOfThisShapeAreInOnePlaceAndStartAJvm() throws Exception {
        assertThat(stages.stream().flatMap(s -> s.all("ENV").stream()).filter(e -> e.contains("JAVA_OPTS"))).hasSize(1);
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
    void theImageDeclaresNoHealthcheckBecauseKubernetesProbesTheEndpointsItself() {
        assertThat(runtime.all("HEALTHCHECK")).isEmpty();
    }

    /** The runtime image's JAVA_OPTS, split as the entrypoint's shell splits them. */
    List<String> javaOpts() {
        return Arrays.asList(runtime.env("JAVA_OPTS").trim().split("\\s+"));
    }

    private static List<String> json(String execForm) throws Exception {
        assertThat(execForm).as("exec form: a JSON array").startsWith("[");
        return Arrays.asList(new ObjectMapper().readValue(execForm, String[].class));
    }
}
