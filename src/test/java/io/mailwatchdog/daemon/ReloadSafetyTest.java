package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.simulator.Stall;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload and stop beside running actions (found in review, each test failed before its fix): a reload
 * during a long flush never starts a second flush beside it, nothing starts after stop, a config that
 * cannot be applied is not applied again at every check, and /healthz answers while a reload waits.
 */
class ReloadSafetyTest {

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();
    GreenMail smtp;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(clock);
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    Settings settings(String name, String extra) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                state-dir = "%s"
                http { port = 0 }
                shutdown-grace = 1s
                schedule { probe-interval = 1s, smtp-test-interval = 1h }
                flush { after = 1m, batch-size = 20, max-batches-per-run = 1 }
                lock { settle-interval = 200ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), extra, odoo.url()));
        return SettingsLoader.load(Optional.of(file), Map.of());
    }

    DaemonRuntime daemon(Settings s) throws Exception {
        return new DaemonRuntime(s, clock, Probe::newSession, x -> DaemonRuntime.Alerts.NONE,
                new WatchdogMetrics(new PrometheusRegistry(), false), Pause.REAL).start();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(end);
            Thread.sleep(20);
        }
    }

    /**
     * Found in review: a reload waits only shutdown-grace for the running action job, then starts a new Daemon with
     * new write lanes; its action job "adopts" the lock row (same owner id), restores the "held" cron and
     * flushes the same mails while the old job is still inside process_email_queue.
     */
    @Test
    void aReloadDuringALongFlushMustNotStartASecondFlushBesideIt() throws Exception {
        SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        shop.queue(20, clock.instant().minus(Duration.ofHours(1)));
        shop.stall(Stall.NO_CRON_WORKER);
        shop.sendDelay(Duration.ofMillis(500)); // one batch takes ~10 s: longer than shutdown-grace (1 s)
        try (DaemonRuntime daemon = daemon(settings("a.conf", ""))) {
            Journal journal = Journal.open(dir.resolve("state"), "shop", clock);
            await("a flush in progress", Duration.ofSeconds(20), () -> {
                try {
                    return journal.openIntents().stream().anyMatch(r -> r.action().equals("flush"));
                } catch (Exception e) {
                    return false;
                }
            });
            daemon.reload(settings("b.conf", "flush.after = 2m")); // any change
            await("the backlog drained", Duration.ofSeconds(40), () -> shop.countByState().getOrDefault("outgoing", 0) == 0);
            Thread.sleep(1_500);
        }
        assertThat(shop.duplicates()).as("mails delivered twice").isEmpty();
    }

    /**
     * Found in review: RunCommand stops the runtime before it closes the ConfigWatcher, and reload() does not look
     * at `stopped`: a reload that comes in between starts a whole new scheduler (probes and writes) after stop.
     */
    @Test
    void aReloadAfterStopMustNotStartJobsAgain() throws Exception {
        SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        DaemonRuntime daemon = daemon(settings("a.conf", ""));
        try {
            await("a first report", Duration.ofSeconds(20), () -> !daemon.board().reports().isEmpty());
            daemon.stop(Duration.ofSeconds(1));
            shop.stall(Stall.SCHEDULER_INACTIVE);
            daemon.reload(settings("b.conf", "flush.after = 2m"));
            Thread.sleep(4_000);
            assertThat(shop.mailCron().active()).as("nothing writes to Odoo after stop").isFalse();
        } finally {
            daemon.close();
        }
    }

    /**
     * Found in review: a new config that cannot be applied (its HTTP port is taken) is applied again at every check,
     * because ConfigWatcher keeps the old `current`: every 5 s the scheduler is shut down (waiting for running
     * jobs) and rebuilt, and each new scheduler starts its probes only after their jitter.
     */
    @Test
    void aConfigThatCannotBeAppliedIsNotAppliedAgainAtEveryCheck() throws Exception {
        odoo.addDatabase("shop", "18.0");
        Settings good = settings("a.conf", "");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             DaemonRuntime daemon = daemon(good)) {
            Settings bad = settings("b.conf", "http.port = " + taken.getLocalPort());
            AtomicInteger applied = new AtomicInteger();
            ConfigWatcher watcher = new ConfigWatcher(good, () -> bad, next -> {
                applied.incrementAndGet();
                daemon.reload(next);
            });
            Daemon first = daemon.daemon();
            watcher.check();
            Daemon second = daemon.daemon();
            watcher.check();
            watcher.check();
            assertThat(applied.get()).as("attempts to apply the same broken config").isEqualTo(1);
            assertThat(daemon.daemon()).as("the jobs are not rebuilt at every check").isSameAs(second);
            assertThat(first).isNotNull();
            watcher.close();
        }
    }

    /**
     * Found in review: every HTTP body goes through `new Redactor(settings())`, and settings() is synchronized on the
     * runtime, which reload() holds while it waits up to shutdown-grace for running jobs: /healthz (and every
     * other endpoint) hangs during a reload beside a running flush, whatever `reloading` says.
     */
    @Test
    void healthzAnswersWhileAReloadWaitsForARunningFlush() throws Exception {
        SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
        shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        shop.queue(20, clock.instant().minus(Duration.ofHours(1)));
        shop.stall(Stall.NO_CRON_WORKER);
        shop.sendDelay(Duration.ofMillis(500));
        Settings a = settings("a.conf", "shutdown-grace = 8s");
        try (DaemonRuntime daemon = daemon(a)) {
            int port = daemon.httpPort();
            Journal journal = Journal.open(dir.resolve("state"), "shop", clock);
            await("a flush in progress", Duration.ofSeconds(20), () -> {
                try {
                    return journal.openIntents().stream().anyMatch(r -> r.action().equals("flush"));
                } catch (Exception e) {
                    return false;
                }
            });
            Settings b = settings("b.conf", "shutdown-grace = 8s\nflush.after = 2m");
            Thread reload = new Thread(() -> {
                try {
                    daemon.reload(b);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            reload.start();
            Thread.sleep(500); // reload() now holds the runtime's monitor, waiting for the flush job
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> r;
            try {
                r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                r = null;
            }
            assertThat(r).as("/healthz answered within 2 s during the reload").isNotNull();
            reload.join();
        }
    }
}
