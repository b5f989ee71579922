package io.mailwatchdog.packaging;

import static io.mailwatchdog.packaging.Packaging.CONFIG_DIR;
import static io.mailwatchdog.packaging.Packaging.KUBERNETES;
import static io.mailwatchdog.packaging.Packaging.STATE_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.http.HttpEndpoints;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/kubernetes: Odoo with the watchdog as a sidecar, read as kubectl apply -k would read it. */
class KubernetesSidecarTest {
    static final YAMLMapper YAML = new YAMLMapper();

    final JsonNode kustomization = readOne(KUBERNETES.resolve("kustomization.yaml"));
    final List<JsonNode> resources = resources();
    final JsonNode deployment = only("Deployment");
    final JsonNode pod = deployment.at("/spec/template/spec");
    final JsonNode watchdog = container("odoo-mail-watchdog");
    final JsonNode odoo = container("odoo");

    @TempDir
    Path dir;

    @Test
    void onePodRunsAtATimeBecauseTheJournalHasOneWriter() {
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(odoo.get("image").asText()).isEqualTo("odoo:18");
    }

    @Test
    void theProbesAskTheHealthAndReadinessEndpointsOnThePortTheCodeBindsByDefault() {
        int port = HttpEndpoints.DEFAULT_PORT;
        assertThat(watchdogPort("http")).isEqualTo(port);
        assertThat(probe("livenessProbe")).isEqualTo("/healthz:" + port);
        assertThat(probe("startupProbe")).isEqualTo("/healthz:" + port);
        assertThat(probe("readinessProbe")).isEqualTo("/readyz:" + port);
    }

    @Test
    void prometheusScrapesTheMetricsEndpointThroughPodAnnotations() {
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(annotations.get("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.get("prometheus.io/port").asText()).isEqualTo(String.valueOf(HttpEndpoints.DEFAULT_PORT));
        assertThat(annotations.get("prometheus.io/path").asText()).isEqualTo("/metrics");
    }

    @Test
    void theWatchdogRunsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities() {
        JsonNode security = watchdog.get("securityContext");
        assertThat(security.get("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.get("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.get("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    }

    @Test
    void theWatchdogRunsAsTheImagesUserWhoseGroupOwnsTheStateVolume() {
        String imageUser = Dockerfile.parse(Packaging.read(Packaging.DOCKERFILE)).get(1).last("USER");
        JsonNode security = watchdog.get("securityContext");
        assertThat(security.get("runAsUser").asText() + ":" + security.get("runAsGroup").asText()).isEqualTo(imageUser);
        assertThat(pod.at("/securityContext/fsGroup").asText()).isEqualTo(security.get("runAsGroup").asText());
    }

    @Test
    void theStateLivesOnAPersistentVolumeClaimMountedAtTheStateDirectory() {
        JsonNode volume = volume(mountedAt(STATE_DIR));
        String claim = volume.at("/persistentVolumeClaim/claimName").asText();
        assertThat(claim).isNotEmpty();
        assertThat(resources).anyMatch(r -> r.get("kind").asText().equals("PersistentVolumeClaim")
                && r.at("/metadata/name").asText().equals(claim));
    }

    @Test
    void theConfigIsTheGeneratedConfigMapMountedReadOnlyWhereTheImageLooksForIt() {
        JsonNode mount = mount(CONFIG_DIR);
        assertThat(mount.get("readOnly").asBoolean()).isTrue();
        JsonNode generator = kustomization.get("configMapGenerator").get(0);
        assertThat(volume(mount.get("name").asText()).at("/configMap/name").asText()).isEqualTo(generator.get("name").asText());
        assertThat(texts(generator.get("files"))).containsExactly("watchdog.conf");
    }

    @Test
    void theConfigMapHoconLoadsWithTheProjectsOwnLoaderWithThePasswordFromTheMountedSecret() throws Exception {
        Map<String, String> env = secretMountedAsTheContainerSeesIt();

        Settings settings = SettingsLoader.load(Optional.of(hocon(hoconText())), env);

        assertThat(settings.stateDir()).isEqualTo(Path.of(STATE_DIR));
        assertThat(settings.http().bind()).as("the sidecar serves the kubelet and Prometheus").isEqualTo("0.0.0.0");
        TargetSettings target = settings.targets().get(0);
        assertThat(target.secret().reveal()).isEqualTo(MOUNTED_KEY);
        URI url = target.url();
        assertThat(url.getHost()).as("Odoo in the same pod").isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isEqualTo(odoo.at("/ports/0/containerPort").asInt());
    }

    @Test
    void theConfigMapBindsTheHttpEndpointsToAllInterfacesSoThatProbesAndPrometheusReachThem() {
        Config http = ConfigFactory.parseString(hoconText())
                .resolveWith(ConfigFactory.empty().withValue("CREDENTIALS_DIRECTORY", ConfigValueFactory.fromAnyRef("/run")))
                .getConfig("http");
        assertThat(http.getString("bind")).isEqualTo("0.0.0.0");
        // No port: the default, which the probes and annotations use.
        assertThat(http.hasPath("port")).isFalse();
    }

    @Test
    void thePasswordIsAFileOfTheSecretVolumeReadableByTheWatchdogsGroupOnly() {
        JsonNode mount = mount(env("CREDENTIALS_DIRECTORY"));
        assertThat(mount.get("readOnly").asBoolean()).isTrue();
        JsonNode secretVolume = volume(mount.get("name").asText()).get("secret");
        assertThat(secretVolume.get("secretName").asText()).isEqualTo(only("Secret").at("/metadata/name").asText());
        assertThat(secretVolume.get("defaultMode").asInt()).isEqualTo(0440);
    }

    @Test
    void theMemoryLimitHoldsTheJvmsCeilingsWithRoomForItsNativeMemory() {
        List<String> options = javaOpts();
        long ceilings = Packaging.megabytes(options, "-Xmx") + Packaging.megabytes(options, "-XX:MaxMetaspaceSize=")
                + Packaging.megabytes(options, "-XX:ReservedCodeCacheSize=");
        assertThat(ceilings).isEqualTo(64 + 64 + 32);

        long limit = mebibytes(watchdog.at("/resources/limits/memory").asText());
        long request = mebibytes(watchdog.at("/resources/requests/memory").asText());
        assertThat(limit).as("ceilings + 64 MiB for stacks, GC, class data and malloc").isGreaterThanOrEqualTo(ceilings + 64);
        assertThat(request).isEqualTo(limit);
    }

    @Test
    void thePodGivesTheWatchdogLongerThanItsThirtySecondDrain() {
        assertThat(pod.get("terminationGracePeriodSeconds").asInt()).isGreaterThan(30);
    }

    @Test
    void kustomizeRendersTheManifestsWithTheGeneratedConfigMapInThePod() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not installed");

        Packaging.Result result = Packaging.run(List.of(kubectl.get().toString(), "kustomize", KUBERNETES.toString()));

        assertThat(result.exit()).as(result.output()).isZero();
        List<JsonNode> rendered = readAll(result.output());
        JsonNode configMap = rendered.stream().filter(r -> r.get("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(configMap.at("/data/watchdog.conf").asText()).isEqualTo(hoconText());
        String name = configMap.at("/metadata/name").asText();
        assertThat(name).startsWith("odoo-mail-watchdog-config-");
        assertThat(rendered.stream().filter(r -> r.get("kind").asText().equals("Deployment")).findFirst().orElseThrow()
                .at("/spec/template/spec/volumes").findValuesAsText("name")).contains(name);
    }

    // --- reading the manifests ---

    private List<JsonNode> resources() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode file : kustomization.get("resources")) {
            all.addAll(readAll(Packaging.read(KUBERNETES.resolve(file.asText()))));
        }
        return all;
    }

    private JsonNode only(String kind) {
        List<JsonNode> found = resources.stream().filter(r -> r.get("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private JsonNode container(String name) {
        return StreamSupport.stream(pod.get("containers").spliterator(), false)
                .filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private int watchdogPort(String name) {
        for (JsonNode port : watchdog.get("ports")) {
            if (port.get("name").asText().equals(name)) {
                return port.get("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name);
    }

    /** path:port of an httpGet probe, a named port resolved to its number. */
    private String probe(String kind) {
        JsonNode get = watchdog.at("/" + kind + "/httpGet");
        JsonNode port = get.get("port");
        return get.get("path").asText() + ":" + (port.isInt() ? port.asInt() : watchdogPort(port.asText()));
    }

    private String env(String name) {
        for (JsonNode env : watchdog.get("env")) {
            if (env.get("name").asText().equals(name)) {
                return env.get("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    private JsonNode mount(String path) {
        for (JsonNode mount : watchdog.get("volumeMounts")) {
            if (mount.get("mountPath").asText().equals(path)) {
                return mount;
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private String mountedAt(String path) {
        return mount(path).get("name").asText();
    }

    private JsonNode volume(String name) {
        for (JsonNode volume : pod.get("volumes")) {
            if (volume.get("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static final String MOUNTED_KEY = "0123456789abcdef0123456789abcdef01234567";

    private List<Map.Entry<String, JsonNode>> secretData() {
        List<Map.Entry<String, JsonNode>> data = new ArrayList<>();
        only("Secret").get("stringData").fields().forEachRemaining(data::add);
        return data;
    }

    /** A directory holding each key of the Secret as a file, named by $CREDENTIALS_DIRECTORY as in the pod. */
    private Map<String, String> secretMountedAsTheContainerSeesIt() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        for (Map.Entry<String, JsonNode> entry : secretData()) {
            // the manifest ships the value empty, to be filled in: the test fills in its own
            assertThat(entry.getValue().asText()).as("no key is committed in the manifest").isEmpty();
            Files.writeString(secrets.resolve(entry.getKey()), MOUNTED_KEY);
        }
        env("CREDENTIALS_DIRECTORY"); // the pod sets it
        return Map.of("CREDENTIALS_DIRECTORY", secrets.toString());
    }

    /** JAVA_OPTS of the pod when it sets them, else the image's. */
    private List<String> javaOpts() {
        String value = null;
        for (JsonNode env : watchdog.path("env")) {
            if (env.get("name").asText().equals("JAVA_OPTS")) {
                value = env.get("value").asText();
            }
        }
        if (value == null) {
            value = Dockerfile.parse(Packaging.read(Packaging.DOCKERFILE)).get(1).env("JAVA_OPTS");
        }
        return Arrays.asList(value.trim().split("\\s+"));
    }

    private String hoconText() {
        return Packaging.read(KUBERNETES.resolve(kustomization.get("configMapGenerator").get(0).get("files").get(0).asText()));
    }

    private Path hocon(String text) throws Exception {
        return Files.writeString(dir.resolve("watchdog.conf"), text);
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        throw new AssertionError("a memory quantity in Mi or Gi: " + quantity);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Optional<Path> onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    private static JsonNode readOne(Path file) {
        List<JsonNode> docs = readAll(Packaging.read(file));
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.get(0);
    }

    private static List<JsonNode> readAll(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            Iterator<JsonNode> iterator = it;
            while (iterator.hasNext()) {
                JsonNode doc = iterator.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (Exception e) {
            throw new AssertionError("not YAML: " + e.getMessage(), e);
        }
        return docs;
    }
}
