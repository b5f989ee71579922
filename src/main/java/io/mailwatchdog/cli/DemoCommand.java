package io.mailwatchdog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.daemon.AlertWiring;
import io.mailwatchdog.daemon.DaemonRuntime;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.simulator.DemoScenario;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
        "The whole loop on this machine, nothing installed: a simulated Odoo (three databases whose mail",
        "scheduler stopped, each with a backlog), an embedded SMTP server, and the daemon, which finds the",
        "stalls, revives the schedulers and flushes the queues. Open the page it prints; Ctrl-C stops it."})
final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9464", description = "HTTP port of the status page and metrics (default 9464; 0 = any free port)")
    int port;

    @Option(names = "--probe-interval", defaultValue = "5", paramLabel = "SECONDS", description = "seconds between probes (default 5)")
    int probeSeconds;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the journal goes (default: a new temporary directory)")
    Path stateDir;

    @Option(names = "--exit-when-recovered", description = "stop once every queue is drained and every scheduler runs (for scripts)")
    boolean exitWhenRecovered;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = main.clock;
        quietGreenMail();
        Path state = stateDir != null ? stateDir : Files.createTempDirectory("odoo-mail-watchdog-demo-");
        java.util.Optional<io.mailwatchdog.daemon.StateDirLock> stateLock = io.mailwatchdog.daemon.StateDirLock.tryAcquire(state);
        if (stateLock.isEmpty()) {
            spec.commandLine().getErr().println("a daemon runs with the state-dir " + state + "; give the demo its own");
            return ExitCodes.FAIL;
        }
        try (io.mailwatchdog.daemon.StateDirLock held = stateLock.get()) {
            return demo(out, clock, state);
        }
    }

    private int demo(PrintWriter out, Clock clock, Path state) throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        CountDownLatch stop = new CountDownLatch(1);
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock);
             AlertPrinter alerts = new AlertPrinter(out)) {
            Map<String, java.util.List<Integer>> backlogs = DemoScenario.install(odoo, smtp.getSmtp().getPort(), clock);
            java.util.List<Integer> failed = DemoScenario.installOutage(odoo, smtp.getSmtp().getPort(), clock);
            Settings settings = SettingsLoader.load(Optional.of(config(state, odoo, alerts.url())), Map.of());
            WatchdogMetrics metrics = new WatchdogMetrics();
            out.println("odoo-mail-watchdog demo: a simulated Odoo at " + odoo.url() + " with three stalled databases"
                    + " and one after an outage,");
            out.println("an SMTP server on 127.0.0.1:" + smtp.getSmtp().getPort() + ", and the daemon (probe every "
                    + probeSeconds + " s):");
            for (DemoScenario.Stalled s : DemoScenario.DATABASES) {
                out.println("  " + s.name() + ": " + s.story() + "; " + s.backlog() + " mails waiting for "
                        + s.age().toMinutes() + " min");
            }
            DemoScenario.Outage o = DemoScenario.OUTAGE;
            out.println("  " + o.name() + ": " + o.story() + "; " + o.failed() + " failed mails: the retry sends a canary,"
                    + " then paced chunks");
            try (DaemonRuntime daemon = new DaemonRuntime(settings, clock, Probe::newSession,
                    s -> AlertWiring.alerts(s, metrics, clock), metrics, Pause.REAL).start()) {
                String base = "http://127.0.0.1:" + daemon.httpPort();
                out.println();
                out.println("Look:  " + base + "/          the status page (refreshes itself)");
                out.println("       " + base + "/metrics   Prometheus metrics;  " + base + "/status  JSON");
                out.println("       journal: java -jar target/odoo-mail-watchdog.jar -c " + state.resolve("demo.conf")
                        + " journal");
                out.println("Ctrl-C stops the demo.");
                out.println();
                out.flush();
                Signals.onTerminate(stop::countDown);
                narrate(out, odoo, smtp, daemon, stop, backlogs, failed, clock);
                daemon.stop(Duration.ofSeconds(5));
            }
        } finally {
            smtp.stop();
        }
        out.println("demo stopped; the journal stays in " + state.resolve("journal"));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Prints each database's state when it changes, and new mail every 20 s as a live database makes it,
     * until Ctrl-C (or, with --exit-when-recovered, until the backlogs are sent and the schedulers run).
     */
    private void narrate(PrintWriter out, SimulatedOdoo odoo, GreenMail smtp, DaemonRuntime daemon, CountDownLatch stop,
                         Map<String, java.util.List<Integer>> backlogs, java.util.List<Integer> failed, Clock clock)
            throws InterruptedException {
        Map<String, String> last = new java.util.HashMap<>();
        boolean announced = false;
        Instant started = Instant.now();
        Instant nextTraffic = started.plusSeconds(20);
        while (!stop.await(500, TimeUnit.MILLISECONDS)) {
            boolean recovered = true;
            for (DemoScenario.Stalled s : DemoScenario.DATABASES) {
                SimulatedDatabase db = odoo.database(s.name());
                Map<String, Integer> counts = db.countByState();
                String cron = db.param(io.mailwatchdog.lock.LockValue.KEY).isPresent() ? "held" : db.mailCron().active()
                        && (db.mailCron().numbercall() == null || db.mailCron().numbercall() != 0) ? "active" : "stopped";
                String status = daemon.board().reports().stream().filter(r -> r.target().equals(s.name()))
                        .map(TargetReport::status).map(Enum::name).findFirst().orElse("-");
                String line = String.format("%-7s %-5s scheduler %-8s outgoing %3d  sent %3d", s.name(), status, cron,
                        counts.getOrDefault("outgoing", 0), counts.getOrDefault("sent", 0));
                if (!line.equals(last.put(s.name(), line))) {
                    out.println("[" + Duration.between(started, Instant.now()).toSeconds() + " s] " + line);
                    out.flush();
                }
                boolean backlogSent = backlogs.get(s.name()).stream()
                        .allMatch(id -> db.mail(id).map(m -> "sent".equals(m.get("state"))).orElse(true));
                recovered &= backlogSent && !"stopped".equals(cron);
            }
            SimulatedDatabase crm = odoo.database(DemoScenario.OUTAGE.name());
            Map<String, Integer> crmCounts = crm.countByState();
            TargetReport crmReport = daemon.board().reports().stream().filter(r -> r.target().equals(crm.name()))
                    .findFirst().orElse(null);
            String crmLine = String.format("%-7s %-5s exception %3d  sent %3d%s", crm.name(),
                    crmReport == null ? "-" : crmReport.status().name(), crmCounts.getOrDefault("exception", 0),
                    crmCounts.getOrDefault("sent", 0),
                    crmReport == null || crmReport.recovery() == null ? "" : "  (" + crmReport.recovery() + ")");
            if (!crmLine.equals(last.put(crm.name(), crmLine))) {
                out.println("[" + Duration.between(started, Instant.now()).toSeconds() + " s] " + crmLine);
                out.flush();
            }
            recovered &= failed.stream().allMatch(id -> crm.mail(id).map(m -> "sent".equals(m.get("state"))).orElse(true));
            if (recovered && !announced) {
                announced = true;
                out.println("Recovered: the backlogs are sent (" + smtp.getReceivedMessages().length
                        + " mails reached the SMTP server, " + odoo.databases().stream().mapToInt(d -> d.duplicates().size()).sum()
                        + " of them twice) and the schedulers of shop and books run again; crm's failed mails are"
                        + " retried (canary first, then paced chunks) and its 3 invalid addresses left alone. portal's scheduler stays"
                        + " overdue (no cron worker: only its Odoo admin can fix that), so portal stays FAIL; the"
                        + " watchdog keeps its queue moving by flushing.");
                out.flush();
                if (exitWhenRecovered) {
                    return;
                }
                out.println("New mail arrives every 20 s; the daemon keeps watching. Ctrl-C stops the demo.");
                out.flush();
            }
            if (!exitWhenRecovered && Instant.now().isAfter(nextTraffic)) {
                DemoScenario.traffic(odoo, clock);
                nextTraffic = Instant.now().plusSeconds(20);
            }
        }
    }

    private Path config(Path state, SimulatedOdoo odoo, String alertUrl) throws IOException {
        StringBuilder targets = new StringBuilder();
        java.util.List<String> names = new java.util.ArrayList<>(DemoScenario.DATABASES.stream().map(DemoScenario.Stalled::name).toList());
        names.add(DemoScenario.OUTAGE.name());
        for (String name : names) {
            targets.append("  { name = ").append(name).append(", url = \"").append(odoo.url(name))
                    .append("\", database = ").append(name).append(", login = admin, password = admin }\n");
        }
        String text = """
                # written by `demo`: the simulated Odoo lives only while the demo runs
                state-dir = "%s"
                http { port = %d }
                schedule { probe-interval = %ds, smtp-test-interval = 1m }
                flush { after = 1m }
                lock { settle-interval = 500ms }
                retry { enabled = true, chunk-size = 10, rate-per-minute = 120 }
                alerts { webhooks = [ { name = console, url = "%s" } ], first-backoff = 200ms }
                targets = [
                %s]
                """.formatted(state.toString().replace("\\", "/"), port, Math.max(1, probeSeconds), alertUrl, targets);
        Path file = state.resolve("demo.conf");
        Files.writeString(file, text);
        return file;
    }

    /**
     * Odoo's SMTP test hangs up after DATA without QUIT, as the simulator does too; GreenMail prints a
     * stack trace for each such connection. Not news in a demo.
     */
    private static void quietGreenMail() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (thread.getName().startsWith("smtp:")) {
                return;
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.println("Exception in thread \"" + thread.getName() + "\" " + e);
            }
        });
    }

    /** The demo's webhook receiver: prints each alert as one line. */
    private static final class AlertPrinter implements AutoCloseable {
        private final HttpServer server;

        AlertPrinter(PrintWriter out) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            server.createContext("/alerts", ex -> {
                try (ex) {
                    JsonNode a = JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    synchronized (out) {
                        out.println("  alert (webhook): " + a.path("target").asText() + " " + a.path("check").asText() + " "
                                + a.path("transition").asText() + ": " + a.path("summary").asText());
                        out.flush();
                    }
                    ex.sendResponseHeaders(204, -1);
                } catch (IOException | RuntimeException e) {
                    // a body that is not an alert: nothing to print, the exchange is closed
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
