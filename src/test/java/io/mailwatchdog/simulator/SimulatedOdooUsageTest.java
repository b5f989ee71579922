package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.probe.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example: one stalled 18.0 database with a backlog and a GreenMail relay, as the probe sees it. */
class SimulatedOdooUsageTest {

    @TempDir
    Path dir;

    @Test
    void aStalledEighteenDatabaseWithABacklogLooksStalledToTheProbeAndFlowsOnceAWorkerRuns() throws Exception {
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-23T12:00:00Z"));
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
            shop.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
            shop.queue(40, clock.instant().minus(Duration.ofHours(3)));
            shop.stall(Stall.NO_CRON_WORKER);

            Snapshot stalled = SimulatorTargets.probe(dir, clock, true)
                    .probe(SimulatorTargets.targets(dir, odoo, List.of(shop)).get(0), clock.instant().plusSeconds(50));

            assertThat(stalled.scheduler().active()).isTrue();
            assertThat(stalled.scheduler().overdueSeconds()).isEqualTo(6 * 3600);
            assertThat(stalled.queue().due()).isEqualTo(40);
            assertThat(stalled.queue().oldestDueAgeSeconds()).isEqualTo(3 * 3600);
            assertThat(stalled.servers()).singleElement().satisfies(s -> assertThat(s.test().outcome()).isEqualTo("PASS"));

            assertThat(shop.tick().orElseThrow().await(Duration.ofSeconds(30))).isTrue();
            assertThat(shop.countByState()).containsEntry("sent", 40).containsEntry("outgoing", 0);
            assertThat(smtp.getReceivedMessages()).hasSize(40);
            assertThat(shop.duplicates()).isEmpty();
        } finally {
            smtp.stop();
        }
    }
}
