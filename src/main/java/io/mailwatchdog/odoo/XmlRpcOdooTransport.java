package io.mailwatchdog.odoo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.client.XmlRpcClientRequestImpl;
import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.apache.xmlrpc.serializer.DefaultXMLWriterFactory;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import static io.mailwatchdog.text.Texts.human;
import static io.mailwatchdog.text.Texts.oneLine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * XML-RPC over {@code /xmlrpc/2/*}, hardened for a server we do not trust blindly.
 *
 * <p>The Apache XML-RPC fork serialises requests and decodes values; HTTP is the JDK's own
 * HttpURLConnection, synchronous on the calling thread, so that one deadline, the response cap and the
 * trust store are ours. Vendor extensions
 * and exceptions stay off (the library deserializes a fault's {@code faultCause} when exceptions are
 * on), DOCTYPEs are refused, and the body is read up to a cap before any parsing.
 */
public final class XmlRpcOdooTransport implements OdooTransport {

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcOdooTransport.class);
    private static final int SNIPPET = 120;
    private static final org.xml.sax.ErrorHandler RAISE_ONLY = new org.xml.sax.helpers.DefaultHandler() {
        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final TransportOptions options;
    private final javax.net.ssl.SSLSocketFactory tlsFactory;
    private final XmlRpcClientConfigImpl config;
    private final TypeFactory typeFactory;
    /** Hardened once; parsers made from it are kept per thread (the settings never change). */
    private static final SAXParserFactory SAX_FACTORY = HardenedXml.saxFactory();
    private final AtomicLong requests = new AtomicLong();
    /** The HTTP Date of the last reply: Odoo's clock (or its proxy's), to the second. */
    private volatile java.time.Instant lastServerDate;

    public XmlRpcOdooTransport(TransportOptions options) {
        this.options = options;
        this.config = new XmlRpcClientConfigImpl();
        config.setEnabledForExtensions(false);
        config.setEnabledForExceptions(false);
        config.setEncoding(StandardCharsets.UTF_8.name());
        this.typeFactory = new RestrictedTypeFactory(new XmlRpcClient());
        this.tlsFactory = options.caFile().map(ca -> sslContextTrusting(ca).getSocketFactory()).orElse(null);
    }

    @Override
    public Duration replyTimeout() {
        return options.replyTimeout();
    }

    @Override
    public java.util.Optional<java.time.Instant> serverTime() {
        return java.util.Optional.ofNullable(lastServerDate);
    }

    @Override
    public long requestCount() {
        return requests.get();
    }

    @Override
    public String describe() {
        return options.baseUrl().toString();
    }

    @Override
    public Object call(Service service, String method, List<Object> params, Duration replyTimeout, String label)
            throws OdooException {
        URI url = options.endpoint(service);
        byte[] body = serialize(method, params);
        long started = System.nanoTime();
        requests.incrementAndGet();
        Reply reply = post(url, body, replyTimeout, label);
        if (reply.date > 0) {
            lastServerDate = java.time.Instant.ofEpochMilli(reply.date);
        }
        LOG.debug("{} {} -> HTTP {} {} bytes in {} ms", url, label, reply.status, reply.body.length,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return decode(reply, url, label);
    }

    /** What came back over HTTP, read in full (up to the cap). */
    private record Reply(int status, String contentType, String location, byte[] body, long date) {
    }

    private byte[] serialize(String method, List<Object> params) throws OdooException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            XmlRpcWriter writer = new XmlRpcWriter(config,
                    new DefaultXMLWriterFactory().getXmlWriter(config, out), typeFactory);
            writer.write(new XmlRpcClientRequestImpl(config, method, params));
            return out.toByteArray();
        } catch (SAXException | org.apache.xmlrpc.XmlRpcException e) {
            throw new OdooProtocolError("cannot encode the request " + method + ": " + e.getMessage(), e);
        }
    }

    /**
     * One POST on the calling thread (no hand-off to other threads: the cheapest client). One deadline
     * covers connecting, sending and reading: when it passes, a timer disconnects, so a server that
     * trickles bytes cannot hold the call.
     */
    private Reply post(URI url, byte[] body, Duration replyTimeout, String label) throws OdooException {
        long deadline = System.nanoTime() + replyTimeout.toNanos();
        java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new OdooUnreachable(url + ": cannot open a connection: " + oneLine(e.getMessage()), e);
        }
        java.util.concurrent.ScheduledFuture<?> alarm = DEADLINES.schedule(() -> {
            expired.set(true);
            // disconnect() waits for the stream's lock, which the reading thread holds while it blocks
            // in read(): never on the shared timer thread.
            Thread closer = new Thread(connection::disconnect, "odoo-call-abort");
            closer.setDaemon(true);
            closer.start();
        }, replyTimeout.toNanos(), TimeUnit.NANOSECONDS);
        boolean connected = false;
        try {
            if (tlsFactory != null && connection instanceof javax.net.ssl.HttpsURLConnection https) {
                https.setSSLSocketFactory(tlsFactory);
            }
            connection.setConnectTimeout(millis(options.connectTimeout().compareTo(replyTimeout) < 0
                    ? options.connectTimeout() : replyTimeout));
            connection.setReadTimeout(millis(replyTimeout));
            // A redirect usually means a login page or a wrong URL; never repost credentials to it.
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setDoOutput(true);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Content-Type", "text/xml; charset=utf-8");
            connection.setRequestProperty("User-Agent", "odoo-mail-watchdog");
            connection.setFixedLengthStreamingMode(body.length);
            connection.connect();
            connected = true;
            try (java.io.OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            String contentType = Objects.requireNonNullElse(connection.getContentType(), "");
            long declared = connection.getContentLengthLong();
            if (declared > options.maxResponseBytes()) {
                throw tooLarge(url, label, declared);
            }
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes = stream == null ? new byte[0] : readCapped(stream, url, label, deadline);
            if (System.nanoTime() > deadline) {
                throw new java.net.SocketTimeoutException("deadline");
            }
            return new Reply(status, contentType, connection.getHeaderField("Location"), bytes,
                    connection.getHeaderFieldDate("Date", 0));
        } catch (OdooException e) {
            throw e;
        } catch (IOException e) {
            if (!connected) {
                // Nothing reached Odoo: an unreachable server, never an unknown outcome.
                throw translate(e, url, label, false);
            }
            if (expired.get() || e instanceof java.net.SocketTimeoutException) {
                throw new OdooTimeout(url + ": no complete reply to " + label + " within " + human(replyTimeout)
                        + " (Odoo may still be working on it)");
            }
            throw translate(e, url, label, true);
        } finally {
            alarm.cancel(false);
            connection.disconnect(); // Odoo answers Connection: close anyway
        }
    }

    /**
     * One daemon thread for every call's deadline; it only ever disconnects. A call that ends in time
     * cancels its alarm, and the alarm leaves the queue at once instead of holding the connection.
     */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    private static java.util.concurrent.ScheduledThreadPoolExecutor deadlineTimer() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "odoo-call-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private byte[] readCapped(InputStream in, URI url, String label, long deadline) throws IOException, OdooException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[16384];
        long total = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            total += n;
            if (total > options.maxResponseBytes()) {
                throw tooLarge(url, label, total);
            }
            out.write(chunk, 0, n);
            if (System.nanoTime() > deadline) {
                throw new java.net.SocketTimeoutException("deadline");
            }
        }
        return out.toByteArray();
    }

    private OdooResponseTooLarge tooLarge(URI url, String label, long seen) {
        return new OdooResponseTooLarge(url + ": the reply to " + label + " is larger than the cap of "
                + options.maxResponseBytes() + " bytes (" + seen + " bytes seen); refused unparsed");
    }

    private OdooException translate(IOException cause, URI url, String label, boolean connected) {
        if (!connected && find(cause, java.net.SocketTimeoutException.class) != null) {
            return new OdooUnreachable(url + ": no connection in time (connect timeout "
                    + human(options.connectTimeout()) + ")", cause);
        }
        if (find(cause, java.net.UnknownHostException.class) != null) {
            return new OdooUnreachable(url + ": cannot connect (host name not found)", cause);
        }
        if (find(cause, ConnectException.class) != null || find(cause, java.net.NoRouteToHostException.class) != null) {
            return new OdooUnreachable(url + ": cannot connect (connection refused)", cause);
        }
        SSLException tls = find(cause, SSLException.class);
        if (tls != null) {
            return new OdooUnreachable(url + ": TLS failed: " + oneLine(tls.getMessage()), cause);
        }
        return new OdooProtocolError(url + ": the connection broke during " + label + ": "
                + oneLine(String.valueOf(cause.getMessage())), cause);
    }

    /** The first throwable of this type in the cause chain, or null. */
    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private Object decode(Reply reply, URI url, String label) throws OdooException {
        byte[] body = reply.body;
        int status = reply.status;
        String contentType = reply.contentType.toLowerCase(Locale.ROOT);
        if (status != 200) {
            // Odoo answers every XML-RPC call, faults included, with 200: another status is a proxy or a wrong URL.
            String redirect = status / 100 == 3 && reply.location != null
                    ? ", redirected to " + snippet(reply.location) + " (use that address as the url?)" : "";
            throw new OdooProtocolError(url + ": HTTP " + status + " instead of an XML-RPC reply" + redirect
                    + describeBody(body, contentType));
        }
        if (contentType.contains("html") || looksLikeHtml(body)) {
            throw new OdooProtocolError(url + ": got an HTML page, not an XML-RPC reply (a login page or a proxy?)"
                    + describeBody(body, contentType));
        }
        XmlRpcResponseParser parser = new XmlRpcResponseParser(config, typeFactory);
        try {
            XMLReader reader = new HardenedXml.DepthLimit(reusableParser().getXMLReader());
            reader.setContentHandler(parser);
            reader.setErrorHandler(RAISE_ONLY); // the default handler prints to stderr
            reader.parse(new InputSource(new ByteArrayInputStream(body)));
        } catch (SAXException e) {
            String message = oneLine(e.getMessage());
            if (message.contains("DOCTYPE")) {
                throw new OdooProtocolError(url + ": refused a reply with a DOCTYPE (XML entities are not accepted)", e);
            }
            throw new OdooProtocolError(url + ": the reply to " + label + " is not valid XML-RPC (" + message + ")"
                    + describeBody(body, contentType), e);
        } catch (IOException | ParserConfigurationException | RuntimeException e) {
            throw new OdooProtocolError(url + ": the reply to " + label + " could not be read ("
                    + oneLine(String.valueOf(e.getMessage())) + ")", e);
        } catch (StackOverflowError e) {
            // The value parsers recurse per nesting level; DepthLimit should stop a hostile reply first.
            throw new OdooProtocolError(url + ": the reply to " + label + " is nested too deeply");
        }
        if (!parser.isSuccess()) {
            throw OdooFault.of(parser.getErrorCode(), parser.getErrorMessage(), label);
        }
        try {
            return parser.getResult();
        } catch (org.apache.xmlrpc.XmlRpcException e) {
            throw new OdooProtocolError(url + ": the reply to " + label + " has no usable value", e);
        }
    }


    /** A parser per thread, reset between replies: creating one per reply costs more than parsing. */
    private static final ThreadLocal<javax.xml.parsers.SAXParser> PARSERS = new ThreadLocal<>();

    private javax.xml.parsers.SAXParser reusableParser() throws ParserConfigurationException, SAXException {
        javax.xml.parsers.SAXParser parser = PARSERS.get();
        if (parser == null) {
            parser = SAX_FACTORY.newSAXParser();
            PARSERS.set(parser);
        } else {
            parser.reset();
        }
        return parser;
    }

    private static boolean looksLikeHtml(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 256), StandardCharsets.UTF_8)
                .stripLeading().toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    private static String describeBody(byte[] body, String contentType) {
        String text = new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8);
        String title = null;
        int t = text.toLowerCase(Locale.ROOT).indexOf("<title>");
        if (t >= 0) {
            int end = text.toLowerCase(Locale.ROOT).indexOf("</title>", t);
            if (end > t) {
                title = text.substring(t + 7, end).strip();
            }
        }
        String shown = title != null ? "title \"" + snippet(title) + "\"" : "body \"" + snippet(text) + "\"";
        return " (" + (contentType.isEmpty() ? "no content type" : contentType) + ", " + body.length + " bytes, "
                + shown + ")";
    }

    private static String snippet(String text) {
        String line = oneLine(text).replaceAll("[^\\p{Print}]", "?");
        return line.length() > SNIPPET ? line.substring(0, SNIPPET) + "…" : line;
    }



    private static SSLContext sslContextTrusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            // The system CAs stay trusted; the file adds the operator's own.
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int n = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("custom-" + n++, cert);
            }
            for (javax.net.ssl.TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x509) {
                    for (java.security.cert.X509Certificate cert : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, cert);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
