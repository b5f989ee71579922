package io.mailwatchdog.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Odoo server in this process: Odoo's external XML-RPC API ({@code /xmlrpc/2/common},
 * {@code /xmlrpc/2/object}) on 127.0.0.1, hosting any number of databases of Odoo 16.0–19.0 in
 * memory, with the replies, faults and behaviours captured from real servers (shared/odoo-fixtures).
 * Mail really leaves over SMTP. For the demo, end-to-end tests of the watchdog and benchmarks.
 *
 * <pre>{@code
 * try (SimulatedOdoo odoo = new SimulatedOdoo(Clock.systemUTC())) {
 *     SimulatedDatabase db = odoo.addDatabase("shop", "18.0");
 *     db.addMailServer("relay", "127.0.0.1", 3025);
 *     db.queue(40, Instant.now().minus(Duration.ofHours(3)));
 *     db.stall(Stall.SCHEDULER_INACTIVE);
 *     // point the watchdog at odoo.url(), database "shop", admin/admin
 * }
 * }</pre>
  *
 * <p>Its HTTP replies carry this host's time in {@code Date} (the JDK's HTTP server sets it), not the
 * simulated clock: the watchdog judges lock leases on that header, so a test that ages a lock row sets
 * the simulated clock back while it writes the row.
 */
public final class SimulatedOdoo implements AutoCloseable {

    /** Requests larger than this are refused unread (413). */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService cronRuns;
    private final ScheduledExecutorService cronPoller;
    private final Map<String, SimulatedDatabase> databases = Collections.synchronizedMap(new LinkedHashMap<>());

    /** On an ephemeral port of 127.0.0.1. */
    public SimulatedOdoo(Clock clock) {
        this(clock, 0);
    }

    /** On {@code port} of 127.0.0.1 (0 = ephemeral). */
    public SimulatedOdoo(Clock clock, int port) {
        this.clock = clock;
        this.httpThreads = Executors.newCachedThreadPool(daemons("simulated-odoo-http"));
        this.cronRuns = Executors.newCachedThreadPool(daemons("simulated-odoo-cron"));
        this.cronPoller = Executors.newSingleThreadScheduledExecutor(daemons("simulated-odoo-cron-poll"));
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            shutdownThreads();
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.createContext("/", new XmlRpcEndpoint(MAX_REQUEST_BYTES, databases::get, this::serverVersion));
        server.setExecutor(httpThreads);
        server.start();
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}: the watchdog's target url. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * A base URL whose {@code version()} answers this database's version, for a server hosting
     * databases of different versions (a real server has one; {@link #url()} answers the first one's).
     */
    public String url(String database) {
        if (!databases.containsKey(database)) {
            throw new IllegalArgumentException("no database " + database);
        }
        return url() + "/db/" + database;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * A new database with the mail module, as a fresh Odoo of that version has it.
     *
     * @param version "16.0", "17.0", "18.0" or "19.0"
     */
    public SimulatedDatabase addDatabase(String name, String version) {
        SimulatedDatabase db = new SimulatedDatabase(name, version, clock, cronRuns, cronPoller);
        synchronized (databases) {
            if (databases.containsKey(name)) {
                throw new IllegalArgumentException("database " + name + " exists already");
            }
            databases.put(name, db);
        }
        return db;
    }

    public SimulatedDatabase database(String name) {
        SimulatedDatabase db = databases.get(name);
        if (db == null) {
            throw new IllegalArgumentException("no database " + name);
        }
        return db;
    }

    public List<SimulatedDatabase> databases() {
        synchronized (databases) {
            return new ArrayList<>(databases.values());
        }
    }

    /** What {@code version()} on {@link #url()} answers: the first database's version (18.0 while there is none). */
    VersionProfile serverVersion() {
        synchronized (databases) {
            return databases.isEmpty() ? VersionProfile.V18 : databases.values().iterator().next().profile();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        for (SimulatedDatabase db : databases()) {
            db.stop();
        }
        shutdownThreads();
    }

    private void shutdownThreads() {
        cronPoller.shutdownNow();
        cronRuns.shutdownNow();
        httpThreads.shutdownNow();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
