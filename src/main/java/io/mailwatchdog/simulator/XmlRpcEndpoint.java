package io.mailwatchdog.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP in front of the dispatcher, answering as Odoo's werkzeug does: every XML-RPC reply, faults
 * included, is 200 {@code text/xml; charset=utf-8} with {@code Connection: close}. Paths are
 * {@code /xmlrpc/2/common|object}, or {@code /db/<name>/xmlrpc/2/…} so that a server hosting
 * databases of several versions can answer {@code version()} per database. Bodies are read up to
 * a cap before parsing.
 */
final class XmlRpcEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcEndpoint.class);
    private static final Pattern PATH = Pattern.compile("(?:/db/([^/]+))?/xmlrpc/2/(common|object)/?");

    private final int maxRequestBytes;
    private final XmlRpcCodec codec = new XmlRpcCodec();
    private final RpcDispatcher dispatcher;
    private final Function<String, SimulatedDatabase> databases;
    private final Supplier<VersionProfile> serverVersion;

    XmlRpcEndpoint(int maxRequestBytes, Function<String, SimulatedDatabase> databases, Supplier<VersionProfile> serverVersion) {
        this.maxRequestBytes = maxRequestBytes;
        this.databases = databases;
        this.serverVersion = serverVersion;
        this.dispatcher = new RpcDispatcher(databases);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                plain(exchange, 405, "Method Not Allowed");
                return;
            }
            Matcher route = PATH.matcher(exchange.getRequestURI().getPath());
            if (!route.matches()) {
                plain(exchange, 404, "Not Found");
                return;
            }
            VersionProfile version = versionFor(route.group(1));
            if (version == null) {
                plain(exchange, 404, "Not Found"); // a /db/<name> prefix of a database not served here
                return;
            }
            byte[] body = readCapped(exchange.getRequestBody());
            if (body == null) {
                plain(exchange, 413, "Request Entity Too Large");
                return;
            }
            xml(exchange, answer(version, route.group(2), body));
        } catch (IOException | RuntimeException e) {
            LOG.debug("simulated Odoo: request failed: {}", e.toString());
        }
    }

    private byte[] answer(VersionProfile version, String service, byte[] body) {
        try {
            XmlRpcCodec.Call call;
            try {
                call = codec.parse(body);
            } catch (IllegalArgumentException malformed) {
                throw RpcFault.python(version, "xml.parsers.expat.ExpatError", oneLine(malformed.getMessage()));
            }
            Object result = "common".equals(service) ? dispatcher.common(version, call.method(), call.params())
                    : dispatcher.object(version, call.method(), call.params());
            return codec.result(result);
        } catch (RpcFault fault) {
            return codec.fault(fault);
        } catch (RuntimeException bug) {
            LOG.warn("simulated Odoo: internal error: {}", bug.toString());
            return codec.fault(RpcFault.python(version, "Exception", oneLine(String.valueOf(bug))));
        }
    }

    private VersionProfile versionFor(String database) {
        if (database == null) {
            return serverVersion.get();
        }
        SimulatedDatabase db = databases.apply(database);
        return db == null ? null : db.profile();
    }

    /** The body, or null when it is larger than the cap (read no further). */
    private byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            if (out.size() + n > maxRequestBytes) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static void xml(HttpExchange exchange, byte[] reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    private static void plain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
