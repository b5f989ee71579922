package io.mailwatchdog.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The files of both deployment shapes, and what the tests run on them. Paths are from the project root. */
final class Packaging {
    static final Path UNIT = Path.of("systemd/odoo-mail-watchdog.service");
    static final Path SYSUSERS = Path.of("systemd/odoo-mail-watchdog.sysusers");
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final Path DOCKERIGNORE = Path.of(".dockerignore");
    static final Path KUBERNETES = Path.of("deploy/kubernetes");
    static final Path README = Path.of("README.md");

    /** Where both shapes put things: the daemon's own conventions. */
    static final String JAR = "/opt/odoo-mail-watchdog/odoo-mail-watchdog.jar";
    static final String CONFIG_DIR = "/etc/odoo-mail-watchdog";
    static final String CONFIG = CONFIG_DIR + "/watchdog.conf";
    static final String STATE_DIR = "/var/lib/odoo-mail-watchdog";

    private Packaging() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The jar the pom builds: the shade plugin's finalName, in target/. */
    static String builtJar() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals("maven-shade-plugin")) {
                return "target/" + text(plugin, "finalName") + ".jar";
            }
        }
        throw new IllegalStateException("pom.xml has no maven-shade-plugin");
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    /** The java of the JVM running the tests (a JDK 17, as the shapes' JREs are). */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The megabytes of a -Xmx64m or -XX:MaxMetaspaceSize=64m option (k, m, g suffixes), 0 when absent. */
    static long megabytes(List<String> options, String prefix) {
        Pattern size = Pattern.compile(Pattern.quote(prefix) + "(\\d+)([kKmMgG]?)");
        long mb = 0;
        for (String option : options) {
            Matcher m = size.matcher(option);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                mb = switch (m.group(2).toLowerCase()) {
                    case "k" -> Math.max(1, n / 1024);
                    case "m" -> n;
                    case "g" -> n * 1024;
                    default -> Math.max(1, n / (1024 * 1024));
                };
            }
        }
        return mb;
    }

    record Result(int exit, String output) {
    }

    /** Runs a command with stderr merged into stdout; fails the test when it outlasts the timeout. */
    static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        Path output = Files.createTempFile("packaging-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static Result run(List<String> command) throws Exception {
        return run(command, Map.of(), 120);
    }
}
