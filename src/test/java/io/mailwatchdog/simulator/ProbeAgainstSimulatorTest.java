package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.AgeBucket;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The watchdog's read-only probe, unchanged, against a simulated database of each version: what it
 * reads must be what the simulator holds. The SMTP tests really talk to GreenMail and to a closed port.
 */
class ProbeAgainstSimulatorTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static GreenMail smtp;
    static int closedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void theProbeReadsExactlyWhatTheSimulatedDatabaseHolds(String version) throws Exception {
        SimulatedClock clock = new SimulatedClock(NOW);
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase db = odoo.addDatabase("shop", version);
            db.userEmail("admin@example.com"); // a new 19.0 database has none, and every SMTP test would fail on it
            int relay = db.addMailServer(Map.of("name", "relay", "smtp_host", "127.0.0.1",
                    "smtp_port", smtp.getSmtp().getPort(), "sequence", 1));
            int dead = db.addMailServer(Map.of("name", "dead", "smtp_host", "127.0.0.1", "smtp_port", closedPort,
                    "sequence", 50));
            List<Integer> backlog = db.queue(3, NOW.minus(Duration.ofHours(2)));
            db.addMail(Map.of("scheduled_date", NOW.plus(Duration.ofHours(1)))); // outgoing, not due yet
            db.exceptions(2, null, "111\nConnection refused", NOW.minus(Duration.ofMinutes(10)));
            db.addMail(Map.of("state", "sent"));
            db.stall(Stall.SCHEDULER_INACTIVE);

            TargetSettings target = SimulatorTargets.targets(dir, odoo, List.of(db)).get(0);
            Snapshot s = SimulatorTargets.probe(dir, clock, true).probe(target, NOW.plusSeconds(50));

            assertThat(s.failure()).isNull();
            assertThat(s.odooVersion()).isEqualTo(version);
            assertThat(s.partialErrors()).isEmpty();
            // 3 to open the session, 9 reads (10 on 18.0+: ir.cron.progress), the user's email and one SMTP test
            int reads = version.startsWith("16") || version.startsWith("17") ? 9 : 10;
            assertThat(s.requests()).as("session, reads and one SMTP test per server").isEqualTo(3 + reads + 2);
            assertThat(s.queue().counts().byState()).containsEntry("outgoing", 4).containsEntry("sent", 1)
                    .containsEntry("exception", 2).containsEntry("received", 0).containsEntry("cancel", 0);
            assertThat(s.queue().due()).isEqualTo(3);
            assertThat(s.queue().oldestDueId()).isEqualTo(backlog.get(0));
            assertThat(s.queue().oldestDueAgeSeconds()).isEqualTo(7200);
            assertThat(s.queue().ageHistogram().stream().mapToInt(AgeBucket::count).sum()).isEqualTo(3);
            assertThat(s.queue().exceptionsLastHour()).isEqualTo(2);
            assertThat(s.queue().signatures()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(2));

            boolean old = version.startsWith("16") || version.startsWith("17");
            assertThat(s.scheduler().found()).isTrue();
            assertThat(s.scheduler().id()).isEqualTo(version.startsWith("16") ? 2 : 3);
            assertThat(s.scheduler().name()).isEqualTo("Mail: Email Queue Manager");
            assertThat(s.scheduler().active()).isFalse();
            assertThat(s.scheduler().interval()).isEqualTo("1 hours");
            assertThat(s.scheduler().nextcall()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            assertThat(s.scheduler().numbercall()).isEqualTo(old ? -1 : null);
            assertThat(s.scheduler().failureCount()).isEqualTo(old ? null : 0);

            assertThat(s.database().neutralized()).isFalse();
            assertThat(s.database().modulesPending()).isEmpty();
            assertThat(s.servers()).extracting(ServerSnapshot::id).containsExactly(relay, dead);
            ServerSnapshot.SmtpTest passed = s.servers().get(0).test();
            ServerSnapshot.SmtpTest refused = s.servers().get(1).test();
            assertThat(passed.outcome()).as(passed.detail()).isEqualTo("PASS");
            assertThat(refused.outcome()).isEqualTo("FAIL");
            assertThat(refused.failureClass()).isEqualTo("TRANSPORT");
            assertThat(refused.detail()).contains("refused");
        }
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "18.0"})
    void aNeutralizedDatabaseWithAPendingModuleIsReadAsSuch(String version) throws Exception {
        SimulatedClock clock = new SimulatedClock(NOW);
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase db = odoo.addDatabase("staging", version).neutralize().pendingModule("sale", "to upgrade");
            TargetSettings target = SimulatorTargets.targets(dir, odoo, List.of(db)).get(0);
            Snapshot s = SimulatorTargets.probe(dir, clock, true).probe(target, NOW.plusSeconds(50));

            assertThat(s.database().neutralized()).isTrue();
            assertThat(s.database().modulesPending()).containsExactly("sale (to upgrade)");
            assertThat(s.scheduler().active()).isFalse();
            assertThat(s.servers()).singleElement().satisfies(server -> {
                assertThat(server.name()).isEqualTo("neutralization - disable emails");
                assertThat(server.test().outcome()).isEqualTo("NOT_TESTED");
            });
        }
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void aWrongPasswordIsARefusedLoginAndNothingMoreIsAsked(String version) throws Exception {
        SimulatedClock clock = new SimulatedClock(NOW);
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            SimulatedDatabase db = odoo.addDatabase("shop", version).credentials("admin", "changed");
            TargetSettings target = SimulatorTargets.targets(dir, odoo, List.of(db)).get(0);
            Snapshot s = SimulatorTargets.probe(dir, clock, true).probe(target, NOW.plusSeconds(50));

            assertThat(s.failure().kind()).isEqualTo("login-refused");
            assertThat(s.requests()).as("version, authenticate").isEqualTo(2);
        }
    }
}
