package io.mailwatchdog.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.config.Secret;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP side, on the JDK's own server:
 * <ul>
 *   <li>{@code /healthz}: 200 while the process runs and the scheduler is alive, else 503. Open.</li>
 *   <li>{@code /readyz}: 200 once {@link StatusBoard#markReady()} was called, else 503. Never depends
 *       on Odoo. Open.</li>
 *   <li>{@code /metrics}: Prometheus text format.</li>
 *   <li>{@code /status}: JSON {@code {status, generatedAt, targets, lastActions}}, targets in the shape
 *       of {@code check --format json}.</li>
 *   <li>{@code /}: an HTML page refreshing itself every 30 s.</li>
 * </ul>
 * With a token, all but /healthz and /readyz ask for {@code Authorization: Bearer <token>}. Only GET
 * and HEAD are answered. Every body goes through the redactor, so no configured secret leaves.
 */
public final class HttpEndpoints implements AutoCloseable {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 9464;

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    private final StatusBoard board;
    private final WatchdogMetrics metrics;
    private final byte[] tokenDigest;
    private final BooleanSupplier schedulerAlive;
    private final UnaryOperator<String> redact;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds at once (port 0 picks a free port, see {@link #port()}); {@link #start()} starts serving.
     *
     * @param token          null for no authentication
     * @param schedulerAlive whether the daemon's scheduler still runs (for /healthz)
     * @param redact         applied to every body before it is sent (e.g. the cli Redactor), may be null
     */
    public HttpEndpoints(StatusBoard board, WatchdogMetrics metrics, String bind, int port, Secret token,
                         BooleanSupplier schedulerAlive, UnaryOperator<String> redact, Clock clock) throws IOException {
        this.board = Objects.requireNonNull(board, "board");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.tokenDigest = token == null ? null : sha256(token.reveal());
        this.schedulerAlive = schedulerAlive == null ? () -> true : schedulerAlive;
        this.redact = redact == null ? UnaryOperator.identity() : redact;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.server = HttpServer.create(new InetSocketAddress(bind == null ? DEFAULT_BIND : bind, port), 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-endpoints");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public HttpEndpoints start() {
        server.start();
        LOG.info("HTTP endpoints on {}:{}", server.getAddress().getHostString(), port());
        return this;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    /** Stops accepting, lets exchanges in progress finish for up to a second, then stops. */
    public void stop() {
        stop(Duration.ofSeconds(1));
    }

    public void stop(Duration grace) {
        server.stop((int) Math.max(0, Math.min(Integer.MAX_VALUE, grace.toSeconds())));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/healthz" -> {
                    boolean alive = schedulerAlive.getAsBoolean();
                    send(ex, alive ? 200 : 503, "text/plain; charset=utf-8", alive ? "ok\n" : "scheduler stopped\n", head);
                    return;
                }
                case "/readyz" -> {
                    boolean ready = board.isReady();
                    send(ex, ready ? 200 : 503, "text/plain; charset=utf-8", ready ? "ready\n" : "not ready\n", head);
                    return;
                }
                default -> {
                }
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"odoo-mail-watchdog\"");
                send(ex, 401, "text/plain; charset=utf-8", "unauthorized\n", head);
                return;
            }
            switch (path) {
                case "/metrics" -> send(ex, 200, PrometheusTextFormatWriter.CONTENT_TYPE, metricsText(), head);
                case "/status" -> send(ex, 200, "application/json; charset=utf-8", statusJson(), head);
                case "/" -> {
                    ex.getResponseHeaders().set("Cache-Control", "no-store");
                    send(ex, 200, "text/html; charset=utf-8",
                            StatusPage.render(board.overall(), board.reports(), board.lastActions(), clock.instant()), head);
                }
                default -> send(ex, 404, "text/plain; charset=utf-8", "not found\n", head);
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            try {
                send(ex, 500, "text/plain; charset=utf-8", "internal error\n", false);
            } catch (IOException | RuntimeException ignored) {
                // the headers were already sent
            }
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (tokenDigest == null) {
            return true;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests have the same length whatever was sent, so the comparison leaks neither content nor length.
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
    }

    String metricsText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    String statusJson() throws IOException {
        List<TargetReport> reports = board.reports();
        Status overall = board.overall();
        ObjectNode root = ReportJson.document(overall, reports, clock.instant());
        ArrayNode actions = root.putArray("lastActions");
        for (StatusBoard.Action a : board.lastActions()) {
            ObjectNode n = actions.addObject();
            n.put("target", a.target());
            n.put("action", a.action());
            n.put("outcome", a.outcome());
            n.put("at", a.at().toString());
            n.put("detail", a.detail());
        }
        return ReportJson.JSON.writeValueAsString(root) + "\n";
    }

    private void send(HttpExchange ex, int code, String contentType, String body, boolean head) throws IOException {
        byte[] bytes = redact.apply(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
