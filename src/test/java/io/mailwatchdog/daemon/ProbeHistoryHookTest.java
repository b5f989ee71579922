package io.mailwatchdog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.history.HistoryEntry;
import io.mailwatchdog.history.HistoryLines;
import io.mailwatchdog.history.HistoryReader;
import io.mailwatchdog.history.LastProbe;
import io.mailwatchdog.history.ProbeHistory;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.simulator.Stall;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The probe job keeps every probe in the history and the last-probe file, and a history that fails never fails it. */
class ProbeHistoryHookTest {

    static final String PASSWORD = "Hist0ry-Pa55word";

    @TempDir
    Path dir;

    final Clock clock = Clock.systemUTC();

    TargetSettings target(SimulatedOdoo odoo) throws Exception {
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\ntargets = [ { name = shop, url = \""
                + odoo.url() + "\", database = shop, login = admin, password = \"" + PASSWORD + "\" } ]\n");
        Settings settings = SettingsLoader.load(Optional.of(file), Map.of());
        return settings.targets().get(0);
    }

    JobContext jobs(TargetSettings target, StatusBoard board) {
        StateFiles state = new StateFiles(dir.resolve("probe-state"));
        Probe probe = new Probe(clock, new LoginParking(state), new SmtpTestMemory(state), false);
        return new JobContext(Map.of("shop", target), probe::probe, TargetTasks.NONE, board, clock,
                Duration.ofSeconds(20), t -> { });
    }

    @Test
    void everyProbeOfTheSimulatedOdooAddsOneLineAndReplacesTheLastProbe() throws Exception {
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
            shop.credentials("admin", PASSWORD);
            shop.queue(12, clock.instant().minus(Duration.ofHours(3)));
            shop.stall(Stall.SCHEDULER_INACTIVE);
            StatusBoard board = new StatusBoard(new WatchdogMetrics(new PrometheusRegistry(), false));
            JobContext jobs = jobs(target(odoo), board);
            jobs.keepHistoryIn(dir.resolve("state"));

            for (int i = 0; i < 3; i++) {
                jobs.probeOnce("shop");
            }

            HistoryLines history = HistoryReader.read(dir.resolve("state"), "shop");
            assertThat(history.skipped()).isZero();
            assertThat(history.entries()).hasSize(3).allSatisfy(line -> {
                assertThat(line.type()).isEqualTo(HistoryEntry.PROBE);
                assertThat(line.status()).isEqualTo("FAIL");
                assertThat(line.check("scheduler.active")).isEqualTo("FAIL");
                assertThat(line.check("odoo.login")).isEqualTo("PASS");
                assertThat(line.queue().count("outgoing")).isEqualTo(12);
                assertThat(line.queue().due()).isEqualTo(12);
            });
            assertThat(board.reports()).singleElement().satisfies(r -> assertThat(r.target()).isEqualTo("shop"));
            var last = LastProbe.read(dir.resolve("state"), "shop").orElseThrow();
            assertThat(last.get("snapshot").get("queue").get("due").asInt()).isEqualTo(12);
            assertThat(java.time.Instant.parse(last.get("snapshot").get("takenAt").asText())
                    .truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).isEqualTo(history.entries().get(2).at());
            assertThat(Files.readString(ProbeHistory.file(dir.resolve("state"), "shop"))
                    + Files.readString(LastProbe.file(dir.resolve("state"), "shop"))).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aHistoryThatCannotBeWrittenDoesNotStopTheProbeAndIsLoggedOnce() throws Exception {
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
            shop.credentials("admin", PASSWORD);
            StatusBoard board = new StatusBoard(new WatchdogMetrics(new PrometheusRegistry(), false));
            JobContext jobs = jobs(target(odoo), board);
            Path notADirectory = Files.writeString(dir.resolve("state-file"), "a file where the state dir should be");
            jobs.keepHistoryIn(notADirectory);

            Logger logger = (Logger) LoggerFactory.getLogger("io.mailwatchdog");
            ListAppender<ILoggingEvent> logs = new ListAppender<>();
            logs.start();
            logger.addAppender(logs);
            try {
                jobs.probeOnce("shop");
                jobs.probeOnce("shop");
            } finally {
                logger.detachAppender(logs);
            }

            assertThat(board.reports()).hasSize(1);
            List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).filteredOn(l -> l.contains("cannot write the probe history of shop")).hasSize(1);
            assertThat(lines).noneMatch(l -> l.contains("probe job of shop failed"));
        }
    }
}
