package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.DatabaseSnapshot;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The probe scheduler on a real Quartz scheduler, with a fake prober and short intervals. */
class WatchdogSchedulerTest {

    static final Duration INTERVAL = Duration.ofMillis(250);
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    final WatchdogMetrics metrics = new WatchdogMetrics(new PrometheusRegistry(), false);
    final StatusBoard board = new StatusBoard(metrics);
    final List<WatchdogScheduler> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(s -> s.shutdown(Duration.ofSeconds(5)));
    }

    List<TargetSettings> targets(String... names) throws Exception {
        StringBuilder conf = new StringBuilder("state-dir = \"" + dir.resolve("state") + "\"\ntargets = [\n");
        for (String n : names) {
            conf.append("  { name = ").append(n).append(", url = \"http://127.0.0.1:9\", database = watchdog,"
                    + " login = admin, password = pw }\n");
        }
        conf.append("]\n");
        Path file = dir.resolve("w.conf");
        Files.writeString(file, conf);
        Settings settings = SettingsLoader.load(Optional.of(file), Map.of());
        return settings.targets();
    }

    WatchdogScheduler start(List<TargetSettings> targets, Prober prober) throws Exception {
        WatchdogScheduler s = new WatchdogScheduler(targets, INTERVAL, prober, board, CLOCK);
        started.add(s);
        s.start();
        return s;
    }

    static Snapshot healthy(String target) {
        Instant now = Instant.now();
        QueueSnapshot q = new QueueSnapshot(new MailStateCounts(Map.of("outgoing", 0, "exception", 0)), 0, null, 0,
                List.of(), 0, 0, 0, 200, List.of());
        SchedulerSnapshot c = new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", true, now,
                now.minusSeconds(3600), "1 hours", 3600, null, 0, null, 0);
        ServerSnapshot server = new ServerSnapshot(1, "smtp", "smtp.example.com", 587, "u", "starttls", 10, null,
                new ServerSnapshot.SmtpTest("PASS", null, "PASS detail", now, null));
        return new Snapshot(target, now, Duration.ofMillis(5), 11, "18.0", null, q, c, List.of(server),
                new DatabaseSnapshot(false, List.of()), List.of());
    }

    static Snapshot unreachable(String target) {
        return new Snapshot(target, Instant.now(), Duration.ofMillis(3), 0, null,
                new ProbeFailure("unreachable", "connection refused"), null, null, null, null, List.of());
    }

    double errors(String target, String kind) {
        for (MetricSnapshot m : metrics.registry().scrape()) {
            if (m instanceof CounterSnapshot c && m.getMetadata().getName().startsWith("odoo_mail_probe_errors")) {
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    if (target.equals(d.getLabels().get("target")) && kind.equals(d.getLabels().get("kind"))) {
                        return d.getValue();
                    }
                }
            }
        }
        return 0;
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", within).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private final Logger jobLogger = (Logger) LoggerFactory.getLogger(ProbeJob.class);
    private ListAppender<ILoggingEvent> captured;

    /** Collects what the probe job logs during this test. */
    ListAppender<ILoggingEvent> captureLogs() {
        captured = new ListAppender<>();
        captured.start();
        jobLogger.addAppender(captured);
        return captured;
    }

    @AfterEach
    void stopCapturingLogs() {
        if (captured != null) {
            jobLogger.detachAppender(captured);
        }
    }

    @Test
    void everyTargetsReportReachesTheBoardRepeatedly() throws Exception {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        WatchdogScheduler s = start(targets("prod", "staging"), (t, deadline) -> {
            assertThat(deadline).isAfter(Instant.now().minusSeconds(1));
            calls.computeIfAbsent(t.name(), k -> new AtomicInteger()).incrementAndGet();
            return healthy(t.name());
        });
        assertThat(s.isAlive()).isTrue();
        assertThat(board.isReady()).isTrue();
        await(() -> calls.getOrDefault("prod", new AtomicInteger()).get() >= 3
                && calls.getOrDefault("staging", new AtomicInteger()).get() >= 3, Duration.ofSeconds(10));
        assertThat(board.reports()).extracting(TargetReport::target).containsExactlyInAnyOrder("prod", "staging");
        assertThat(board.reports()).extracting(TargetReport::status).containsOnly(Status.PASS);
    }

    @Test
    void aProbeThatCannotReachOdooIsPublishedAsAStatusAndCountedByItsKind() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WatchdogScheduler s = start(targets("prod"), (t, deadline) -> {
            calls.incrementAndGet();
            return unreachable(t.name());
        });
        await(() -> calls.get() >= 2 && !board.reports().isEmpty(), Duration.ofSeconds(10));
        assertThat(board.reports().get(0).status()).isEqualTo(Status.FAIL);
        assertThat(errors("prod", "unreachable")).isGreaterThanOrEqualTo(1);
        assertThat(errors("prod", "internal")).isZero();
        assertThat(s.isAlive()).isTrue();
    }

    @Test
    void aProberThatAlwaysThrowsIsCountedEachTimeLoggedOnceAndRetried() throws Exception {
        ListAppender<ILoggingEvent> logs = captureLogs();
        AtomicInteger calls = new AtomicInteger();
        WatchdogScheduler s = start(targets("prod"), (t, deadline) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        await(() -> calls.get() >= 4, Duration.ofSeconds(10));
        assertThat(s.isAlive()).isTrue();
        assertThat(s.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThat(errors("prod", "internal")).isEqualTo(calls.get());
        List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).contains("prod").contains("boom");
    }

    @Test
    void aNewCauseIsLoggedAgain() throws Exception {
        ListAppender<ILoggingEvent> logs = captureLogs();
        AtomicInteger calls = new AtomicInteger();
        start(targets("prod"), (t, deadline) -> {
            int n = calls.incrementAndGet();
            throw new IllegalStateException(n <= 2 ? "first" : "second");
        });
        await(() -> calls.get() >= 5, Duration.ofSeconds(10));
        assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage))
                .hasSize(2).anyMatch(m -> m.contains("first")).anyMatch(m -> m.contains("second"));
    }

    @Test
    void twoProbesOfTheSameTargetNeverOverlap() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        start(targets("prod"), (t, deadline) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(INTERVAL.toMillis() * 2 + 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            runs.incrementAndGet();
            return healthy(t.name());
        });
        await(() -> runs.get() >= 3, Duration.ofSeconds(10));
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void differentTargetsAreProbedConcurrently() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        start(targets("prod", "staging", "demo"), (t, deadline) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(INTERVAL.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return healthy(t.name());
        });
        await(() -> most.get() >= 2, Duration.ofSeconds(10));
        assertThat(most.get()).isBetween(2, 3);
    }

    @Test
    void theJitterIsWithinBoundsAndStablePerName() {
        for (Duration interval : List.of(Duration.ofMillis(250), Duration.ofSeconds(60), Duration.ofMinutes(5))) {
            long bound = Math.min(interval.toMillis(), 10_000);
            for (int i = 0; i < 500; i++) {
                String name = "target-" + i;
                Duration j = WatchdogScheduler.jitter(name, interval);
                assertThat(j).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofMillis(bound));
                assertThat(WatchdogScheduler.jitter(name, interval)).isEqualTo(j);
            }
        }
        assertThat(java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> WatchdogScheduler.jitter("t" + i, Duration.ofSeconds(60))).distinct().count())
                .as("names spread over the window").isGreaterThan(40);
        assertThat(WatchdogScheduler.jitter("prod", Duration.ofMillis(1))).isEqualTo(Duration.ZERO);
    }

    @Test
    void shutdownWaitsForARunningProbeWithinTheGraceAndThenReturns() throws Exception {
        CountDownLatch inProbe = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        WatchdogScheduler s = start(targets("prod"), (t, deadline) -> {
            inProbe.countDown();
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
            return healthy(t.name());
        });
        assertThat(inProbe.await(10, TimeUnit.SECONDS)).isTrue();
        long before = System.nanoTime();
        assertThat(s.shutdown(Duration.ofSeconds(5))).isTrue();
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertThat(finished).isTrue();
        assertThat(tookMs).isLessThan(3_000);
        assertThat(s.isAlive()).isFalse();
    }

    @Test
    void shutdownGivesUpAfterTheGraceWhenAProbeHangs() throws Exception {
        CountDownLatch inProbe = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WatchdogScheduler s = start(targets("prod"), (t, deadline) -> {
            inProbe.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return healthy(t.name());
        });
        try {
            assertThat(inProbe.await(10, TimeUnit.SECONDS)).isTrue();
            long before = System.nanoTime();
            assertThat(s.shutdown(Duration.ofMillis(300))).isFalse();
            assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(2_000);
            assertThat(s.isAlive()).isFalse();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSchedulerNotStartedIsNotAlive() throws Exception {
        WatchdogScheduler s = new WatchdogScheduler(targets("prod"), INTERVAL, (t, d) -> healthy(t.name()), board, CLOCK);
        started.add(s);
        assertThat(s.isAlive()).isFalse();
        assertThat(board.isReady()).isFalse();
    }
}
