package io.mailwatchdog.odoo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.mailwatchdog.testing.LocalWireMock;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.sun.net.httpserver.HttpServer;
import io.mailwatchdog.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed, hostile or huge reply is refused with a clear error, and does no harm. */
class HostileServerTest {

    @RegisterExtension
    static final WireMockExtension wire = LocalWireMock.extension();

    @BeforeEach
    void reset() {
        DeserializationCanary.deserialized = false;
    }

    /** Sets a flag if anything ever deserializes it. */
    static final class DeserializationCanary extends RuntimeException implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    static XmlRpcOdooTransport transport(int port, Duration reply, long cap) {
        return new XmlRpcOdooTransport(new TransportOptions(URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(2), reply, cap, Optional.empty()));
    }

    static Object callVersion(XmlRpcOdooTransport transport) throws OdooException {
        return transport.call(OdooTransport.Service.COMMON, "version", List.of(), transport.replyTimeout(), "version()");
    }

    void serve(int status, String contentType, String body) {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));
    }

    @Test
    void anXxePayloadIsRefusedAndNoLocalFileIsRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        serve(200, "text/xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET-CONTENT");
    }

    @Test
    void aSerializedFaultCauseIsNeverDeserialized() throws IOException {
        String payload = serializedCanary();
        serve(200, "text/xml", "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>1</int></value></member>"
                + "<member><name>faultString</name><value><string>boom</string></value></member>"
                + "<member><name>faultCause</name><value><base64>" + payload + "</base64></value></member>"
                + "</struct></value></fault></methodResponse>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooFault.OdooServerError.class)
                .satisfies(e -> assertThat(e.getCause()).isNull());
        assertThat(DeserializationCanary.deserialized).isFalse();
    }

    @Test
    void anExtensionSerializableValueIsRefusedUnread() throws IOException {
        String payload = serializedCanary();
        serve(200, "text/xml", "<?xml version=\"1.0\"?><methodResponse><params><param><value>"
                + "<ex:serializable xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">" + payload
                + "</ex:serializable></value></param></params></methodResponse>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("not valid XML-RPC");
        assertThat(DeserializationCanary.deserialized).isFalse();
    }

    @Test
    void aReplySlowerThanTheTimeoutIsATimeoutWithUnknownOutcome() {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(Fixtures.response("18", "version")).withFixedDelay(3000)));
        long started = System.nanoTime();
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofMillis(500), 1 << 20)))
                .isInstanceOf(OdooTimeout.class)
                .hasMessageContaining("no complete reply to version() within 500 ms")
                .satisfies(e -> assertThat(((OdooException) e).outcomeUnknown()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aProxys502PageIsAnHttpErrorNamingTheUrlAndThePage() {
        serve(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("http://127.0.0.1:" + wire.getPort() + "/xmlrpc/2/common")
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("502 Bad Gateway");
    }

    @Test
    void anHtmlLoginPageWithStatus200IsNotTakenForAnAnswer() {
        serve(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Login | Odoo</title></head></html>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("HTML page")
                .hasMessageContaining("Login | Odoo");
    }

    @Test
    void aBodyCutInHalfIsAMalformedReply() {
        String full = Fixtures.response("18", "read_ir_cron");
        serve(200, "text/xml; charset=utf-8", full.substring(0, full.length() / 2));
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("not valid XML-RPC");
    }

    @Test
    void aBodyThatIsNotXmlSaysWhatCameBack() {
        serve(200, "application/json", "{\"jsonrpc\": \"2.0\", \"result\": 2}");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("not valid XML-RPC")
                .hasMessageContaining("application/json");
    }

    @Test
    void aFaultWithAStringCodeIsAProtocolErrorNotACrash() {
        serve(200, "text/xml", "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><string>AccessDenied</string></value></member>"
                + "<member><name>faultString</name><value><string>x</string></value></member>"
                + "</struct></value></fault></methodResponse>");
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class);
    }

    @Test
    void aHundredMegabyteStreamedBodyIsRefusedBeforeParsingAndReadNoFurther() throws Exception {
        AtomicLong written = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, 0); // chunked: no length announced
            byte[] chunk = "<value><string>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</string></value>"
                    .repeat(800).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>".getBytes());
                while (written.get() < 100L * 1024 * 1024) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException clientHungUp) {
                // expected: the client stops reading at the cap
            }
        });
        server.start();
        try {
            assertThatThrownBy(() -> callVersion(transport(server.getAddress().getPort(), Duration.ofSeconds(20), 1 << 20)))
                    .isInstanceOf(OdooResponseTooLarge.class)
                    .hasMessageContaining("larger than the cap of 1048576 bytes");
            Thread.sleep(300);
            assertThat(written.get()).as("bytes the server managed to send").isLessThan(50L * 1024 * 1024);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDeclaredHundredMegabyteBodyIsRefusedOnItsHeader() {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withHeader("Content-Length", String.valueOf(100L * 1024 * 1024)).withBody("<methodResponse/>")));
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 16L << 20)))
                .isInstanceOf(OdooResponseTooLarge.class);
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> callVersion(transport(port, Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooUnreachable.class)
                .hasMessageContaining("connection refused");
    }

    private static String serializedCanary() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new DeserializationCanary());
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @Test
    void aDeeplyNestedReplyIsRefusedWithoutOverflowingTheStack() {
        int levels = 10_000;
        String body = "<?xml version=\"1.0\"?><methodResponse><params><param>"
                + "<value><array><data>".repeat(levels) + "<value><int>1</int></value>"
                + "</data></array></value>".repeat(levels) + "</param></params></methodResponse>";
        assertThat(body.length()).isLessThan(1 << 20);
        serve(200, "text/xml", body);
        assertThatThrownBy(() -> callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 1 << 20)))
                .isInstanceOf(OdooProtocolError.class)
                .hasMessageContaining("nested deeper than 64");
    }

    @Test
    void aWideButLegalReplyWithinTheCapParses() throws OdooException {
        // Width is bounded by the byte cap alone; make sure a wide but legal reply parses.
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>");
        for (int i = 0; i < 20_000; i++) {
            body.append("<member><name>k").append(i).append("</name><value><int>").append(i).append("</int></value></member>");
        }
        body.append("</struct></value></param></params></methodResponse>");
        serve(200, "text/xml", body.toString());
        Object reply = callVersion(transport(wire.getPort(), Duration.ofSeconds(5), 4 << 20));
        assertThat((java.util.Map<?, ?>) reply).hasSize(20_000);
    }

    @Test
    void callsThatEndInTimeLeaveNoPendingDeadlineBehind() throws Exception {
        serve(200, "text/xml", Fixtures.response("18", "version"));
        XmlRpcOdooTransport t = transport(wire.getPort(), Duration.ofSeconds(30), 1 << 20);
        for (int i = 0; i < 20; i++) {
            callVersion(t);
        }
        java.lang.reflect.Field f = XmlRpcOdooTransport.class.getDeclaredField("DEADLINES");
        f.setAccessible(true);
        assertThat(((java.util.concurrent.ScheduledThreadPoolExecutor) f.get(null)).getQueue()).isEmpty();
    }

    @Test
    void aServerThatTricklesBytesIsCutOffNearTheDeadlineNotHeldForever() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 60; i++) { // one byte every 400 ms: each read succeeds, the whole never ends
                    out.write('<');
                    out.flush();
                    Thread.sleep(400);
                }
            } catch (IOException | InterruptedException hungUp) {
                // the client gave up, as it should
            }
        });
        server.start();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> callVersion(transport(server.getAddress().getPort(), Duration.ofMillis(1500), 1 << 20)))
                    .isInstanceOf(OdooTimeout.class);
            // bounded by the deadline plus at most one read, not by the server (24 s of trickle)
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatNeverAcceptsIsUnreachableNotAnUnknownOutcome() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // fill the accept backlog: later SYNs are dropped
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 300);
                        fillers.add(s);
                    } catch (IOException dropped) {
                        s.close();
                    }
                }
                XmlRpcOdooTransport t = new XmlRpcOdooTransport(new TransportOptions(
                        URI.create("http://127.0.0.1:" + full.getLocalPort()), Duration.ofSeconds(3), Duration.ofSeconds(1),
                        1 << 20, Optional.empty()));
                assertThatThrownBy(() -> callVersion(t))
                        .isInstanceOf(OdooUnreachable.class)
                        .satisfies(e -> assertThat(((OdooException) e).outcomeUnknown()).isFalse());
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
