package io.mailwatchdog.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Sends a request body as it is (a fixture's) and reads the reply with the Apache XML-RPC parser:
 * what the tests compare with the recorded replies.
 */
final class RawXmlRpc {

    /** A decoded reply: a value, or a fault. */
    record Reply(boolean fault, int faultCode, String faultString, Object value, int status, String contentType) {

        /** The last non-empty line of a fault string: all a client judges a Fault 1 by. */
        String lastLine() {
            String[] lines = faultString.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> struct() {
            return (Map<String, Object>) value;
        }

        Object[] array() {
            return (Object[]) value;
        }
    }

    private RawXmlRpc() {
    }

    static Reply post(String url, String body) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", "text/xml");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
            int status = c.getResponseCode();
            byte[] reply;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                reply = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status != 200) {
                return new Reply(false, 0, null, new String(reply, StandardCharsets.UTF_8), status, c.getContentType());
            }
            Reply parsed = parse(new String(reply, StandardCharsets.UTF_8));
            return new Reply(parsed.fault(), parsed.faultCode(), parsed.faultString(), parsed.value(), status, c.getContentType());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What came back over HTTP, unparsed. */
    record Raw(int status, String contentType, String connection, String body) {
    }

    static Raw postRaw(String url, String method, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod(method);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "text/xml");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                } catch (IOException refusedMidway) {
                    // the server may answer and close before reading a body it refuses
                }
            }
            int status = c.getResponseCode();
            byte[] reply;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                reply = in == null ? new byte[0] : in.readAllBytes();
            }
            return new Raw(status, c.getContentType(), c.getHeaderField("Connection"), new String(reply, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Reply parse(String xml) {
        try {
            XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
            XmlRpcResponseParser parser = new XmlRpcResponseParser(config, new TypeFactoryImpl(new XmlRpcClient()));
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setContentHandler(parser);
            reader.parse(new InputSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
            if (!parser.isSuccess()) {
                return new Reply(true, parser.getErrorCode(), parser.getErrorMessage(), null, 200, null);
            }
            return new Reply(false, 0, null, parser.getResult(), 200, null);
        } catch (Exception e) {
            throw new IllegalStateException("not an XML-RPC reply: " + xml, e);
        }
    }
}
