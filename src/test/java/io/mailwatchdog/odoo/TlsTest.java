package io.mailwatchdog.odoo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.mailwatchdog.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https verifies the server's certificate; an operator's CA file makes a private CA trusted. */
class TlsTest {

    @TempDir
    static Path dir;
    static WireMockServer https;
    static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "odoo", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "odoo", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        https = new WireMockServer(WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1").keystorePath(keystore.toString()).keystorePassword("changeit")
                .keyManagerPassword("changeit").keystoreType("PKCS12"));
        https.start();
        https.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(Fixtures.response("18", "version"))));
    }

    @AfterAll
    static void stop() {
        https.stop();
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }

    static Object version(Optional<Path> ca) throws OdooException {
        XmlRpcOdooTransport t = new XmlRpcOdooTransport(new TransportOptions(URI.create("https://127.0.0.1:" + https.httpsPort()),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20, ca));
        return t.call(OdooTransport.Service.COMMON, "version", List.of(), Duration.ofSeconds(5), "version()");
    }

    @Test
    void anUntrustedCertificateIsRefusedWithATlsError() {
        assertThatThrownBy(() -> version(Optional.empty()))
                .isInstanceOf(OdooUnreachable.class)
                .hasMessageContaining("TLS failed");
    }

    @Test
    void theConfiguredCaFileMakesThePrivateCertificateTrusted() throws OdooException {
        assertThat(version(Optional.of(caPem))).isInstanceOf(java.util.Map.class);
    }
}
