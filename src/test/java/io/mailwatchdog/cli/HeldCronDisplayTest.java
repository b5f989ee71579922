package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mail cron held inactive by a watchdog's flush shows as held, never as inactive, in check's outputs. */
class HeldCronDisplayTest {

    @TempDir
    Path dir;

    @Test
    void checkShowsACronHeldForAFlushAsHeldByTheWatchdogAndPasses() throws Exception {
        try (SimulatedOdoo odoo = new SimulatedOdoo(Clock.systemUTC())) {
            SimulatedDatabase shop = odoo.addDatabase("shop", "18.0");
            shop.mailCron().active(false);
            Instant since = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            shop.setParam(LockValue.KEY, new LockValue("abc/daemon", "daemon", "host", 1, since,
                    new LockValue.Hold(shop.mailCron().id(), true, since, List.of(1, 2, 3), null)).json());
            Path conf = dir.resolve("w.conf");
            Files.writeString(conf, """
                    state-dir = "%s"
                    targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                    """.formatted(dir.resolve("state"), odoo.url()));

            CliRun table = CliRun.of("-c", conf.toString(), "check", "--no-smtp-test");
            CliRun json = CliRun.of("-c", conf.toString(), "check", "--no-smtp-test", "--format", "json");

            assertThat(table.out()).contains("held by the watchdog since " + since).doesNotContain("INACTIVE");
            assertThat(table.out()).doesNotContain("scheduler.active  the mail scheduler cron is inactive");
            assertThat(json.out().replace(" ", "")).contains("\"owner\":\"abc/daemon\"").contains("\"ids\":3")
                    .contains("\"stale\":false");
        }
    }
}
