package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.ProbeRunner;
import io.mailwatchdog.probe.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hosting provider's shape: one simulator, a hundred databases of mixed versions, probed together. */
class ManyDatabasesTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final List<String> VERSIONS = List.of("16.0", "17.0", "18.0", "19.0");

    @TempDir
    Path dir;

    @Test
    void aHundredDatabasesInOneSimulatorAreEachProbedAsTheyAre() throws Exception {
        SimulatedClock clock = new SimulatedClock(NOW);
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            List<SimulatedDatabase> databases = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                SimulatedDatabase db = odoo.addDatabase(String.format("db%03d", i), VERSIONS.get(i % 4));
                db.queue(i % 7, NOW.minus(Duration.ofMinutes(i)));
                if (i % 10 == 0) {
                    db.stall(Stall.SCHEDULER_INACTIVE);
                }
                databases.add(db);
            }
            List<TargetSettings> targets = SimulatorTargets.targets(dir, odoo, databases);

            List<Snapshot> snapshots = new ProbeRunner(SimulatorTargets.probe(dir, clock, false), clock)
                    .probeAll(targets, 8, Duration.ofSeconds(60));

            assertThat(snapshots).hasSize(100);
            for (int i = 0; i < 100; i++) {
                Snapshot s = snapshots.get(i);
                assertThat(s.failure()).as(s.target()).isNull();
                assertThat(s.target()).isEqualTo(String.format("db%03d", i));
                assertThat(s.odooVersion()).isEqualTo(VERSIONS.get(i % 4));
                assertThat(s.queue().counts().get("outgoing")).isEqualTo(i % 7);
                assertThat(s.queue().oldestDueAgeSeconds()).isEqualTo(i % 7 == 0 ? 0 : 60L * i);
                assertThat(s.scheduler().active()).isEqualTo(i % 10 != 0);
            }
        }
    }
}
