package io.mailwatchdog.alert;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on a free local port. It answers each request with the next scripted answer,
 * then 200 once the script is used up, and records what it received.
 */
final class WebhookReceiver implements AutoCloseable {

    /** A scripted answer: a status and headers; {@code hold} makes the handler wait for the latch first. */
    record Answer(int status, Map<String, String> headers, String body, CountDownLatch hold) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), "", null);
        }
    }

    record Received(String method, String path, String contentType, String authorization, String body, Instant at) {
    }

    private final int port;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private ExecutorService threads;
    private HttpServer server;

    private WebhookReceiver(int port) {
        this.port = port;
    }

    static WebhookReceiver start() throws IOException {
        WebhookReceiver r = new WebhookReceiver(0);
        r.up();
        return r;
    }

    /** A port where nothing listens yet (connection refused) until {@link #up()}. */
    static WebhookReceiver notYetUp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new WebhookReceiver(s.getLocalPort());
        }
    }

    synchronized WebhookReceiver up() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        // a thread per request, so that a held request does not hold the others
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    int port() {
        return server != null ? server.getAddress().getPort() : port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    WebhookReceiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    WebhookReceiver then(int... statuses) {
        for (int s : statuses) {
            script.add(Answer.status(s));
        }
        return this;
    }

    /** The next request received, waiting up to 5 s; fails when none comes. */
    Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request within 5 s; received so far: " + all);
        }
        return r;
    }

    /** The next request if one comes within the time, else null. */
    Received nextWithin(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    List<Received> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Instant.now());
        all.add(r);
        received.add(r);
        Answer a = script.poll();
        if (a == null) {
            a = Answer.status(200);
        }
        if (a.hold() != null) {
            try {
                a.hold().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
            server = null;
        }
    }
}
