package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleanup}: a dry-run that writes nothing, --apply and its exit codes, against the simulated Odoo. */
class CleanupCommandTest {

    @TempDir
    Path dir;

    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    Instant now;

    @BeforeEach
    void start() {
        odoo = new SimulatedOdoo(odooClock);
        shop = odoo.addDatabase("shop", "18.0");
        now = odooClock.instant();
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    Path config(String extra) throws Exception {
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), extra, odoo.url()));
        return conf;
    }

    CliRun cleanup(Path conf, String... more) {
        return CliRun.of(Stream.concat(Stream.of("-c", conf.toString(), "--target", "shop", "cleanup"), Stream.of(more))
                .toArray(String[]::new));
    }

    int oldException(Map<String, Object> more) {
        Instant failed = now.minus(Duration.ofDays(40));
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("state", "exception", "failure_reason", "550 5.1.1",
                "create_date", failed, "write_date", failed));
        fields.putAll(more);
        return shop.addMail(fields);
    }

    @Test
    void aDryRunPrintsThePlanPerKindAndBatchAndWritesNothingNotEvenAnArchive() throws Exception {
        Path conf = config("stale { purge = true, batch-size = 20 }");
        List<Integer> old = shop.queue(45, now.minus(Duration.ofDays(8)));
        oldException(Map.of());
        int orphan = oldException(Map.of("model", false));
        Map<String, Integer> before = shop.countByState();

        CliRun run = cleanup(conf);

        assertThat(run.exit()).as(run.all()).isEqualTo(0);
        assertThat(run.out()).contains("shop: dry-run, nothing written (--apply to clean)")
                .contains("outgoing   stale 45: would cancel 45")
                .contains("exceptions stale 2: would purge 1, would cancel 1 instead of purging")
                .contains("linked to no document")
                .contains("batches (5):")
                .contains("ids " + old.get(0) + "," + old.get(1))
                .contains(" … " + old.get(19))
                .contains("ids " + orphan + "  (instead of purge: linked to no document");
        assertThat(shop.countByState()).isEqualTo(before);
        assertThat(shop.param(LockValue.KEY)).isEmpty();
        assertThat(dir.resolve("state/archive")).doesNotExist();
        assertThat(dir.resolve("state/journal")).doesNotExist();
        assertThat(dir.resolve("state/owner-id")).doesNotExist();
    }

    @Test
    void applyCleansEvenWithTheDaemonsCleaningOffAndExitsZeroThenFindsNothingToDo() throws Exception {
        Path conf = config(""); // stale.enabled = false: the daemon would not clean, an operator may
        List<Integer> old = shop.queue(3, now.minus(Duration.ofDays(8)));
        int exception = oldException(Map.of());

        CliRun run = cleanup(conf, "--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(0);
        assertThat(old).allSatisfy(id -> assertThat(shop.mail(id).orElseThrow().get("state")).isEqualTo("cancel"));
        assertThat(shop.mail(exception).orElseThrow().get("state")).isEqualTo("cancel");
        assertThat(run.out()).contains("shop: applied").contains("outgoing   stale 3: cancelled 3")
                .contains("exceptions stale 1: cancelled 1").contains("archive archive/shop/")
                .contains("archives: 2 written in").contains("done: every stale mail was handled");
        try (Stream<Path> files = Files.list(dir.resolve("state/archive/shop"))) {
            assertThat(files).hasSize(2).allSatisfy(f ->
                    assertThat(Files.getPosixFilePermissions(f)).containsExactlyInAnyOrder(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        }

        CliRun again = cleanup(conf, "--apply");

        assertThat(again.exit()).as(again.all()).isEqualTo(0);
        assertThat(again.out()).contains("no stale mail");
    }

    @Test
    void applyExitsOneWhenSomethingIsLeftAndSaysWhy() throws Exception {
        Path conf = config("probe { max-response-size = 64KiB }");
        shop.queue(2, now.minus(Duration.ofDays(8)));
        shop.addMail(Map.of("create_date", now.minus(Duration.ofDays(9)), "write_date", now.minus(Duration.ofDays(9)),
                "body_html", "<p>" + "x".repeat(100_000) + "</p>"));

        CliRun run = cleanup(conf, "--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(1);
        assertThat(run.out()).contains("outgoing   stale 3: cancelled 2").contains("left: 1")
                .contains("outgoing 1× its row is larger than Odoo's reply limit");
    }

    @Test
    void applyIsRefusedWithExitTwoWhileAnotherWriterHoldsTheLock() throws Exception {
        Path conf = config("");
        List<Integer> old = shop.queue(2, now.minus(Duration.ofDays(8)));
        shop.setParam(LockValue.KEY, new LockValue("other/daemon", "daemon", "host", 1, now, null).json());

        CliRun dryRun = cleanup(conf);
        CliRun run = cleanup(conf, "--apply");

        assertThat(dryRun.exit()).isEqualTo(0);
        assertThat(dryRun.out()).contains("another writer holds the lock now (other/daemon)");
        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("refused: another writer holds the lock of this database: other/daemon");
        assertThat(old).allSatisfy(id -> assertThat(shop.mail(id).orElseThrow().get("state")).isEqualTo("outgoing"));
    }

    @Test
    void aNeutralizedDatabaseIsRefusedWithExitTwo() throws Exception {
        Path conf = config("");
        shop.queue(2, now.minus(Duration.ofDays(8)));
        shop.neutralize();

        CliRun run = cleanup(conf, "--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.out()).contains("refused: a neutralized database");
        assertThat(shop.countByState()).containsEntry("outgoing", 2);
    }

    @Test
    void jsonOutputHasTheSummaryPerKindAndPerBatch() throws Exception {
        Path conf = config("");
        shop.queue(2, now.minus(Duration.ofDays(8)));

        CliRun run = cleanup(conf, "--apply", "--format", "json");

        assertThat(run.exit()).as(run.all()).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("applied").asBoolean()).isTrue();
        assertThat(json.get("stop").asText()).isEqualTo("DONE");
        assertThat(json.get("outgoing").get("cancelled").asInt()).isEqualTo(2);
        assertThat(json.get("batches").get(0).get("archive").get("rows").asInt()).isEqualTo(2);
        assertThat(json.get("archives")).hasSize(1);
    }

    @Test
    void cleanupNeedsOneTargetAndAValidConfig() throws Exception {
        Path two = dir.resolve("two.conf");
        Files.writeString(two, """
                state-dir = "%s"
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin }
                            { name = books, url = "%s", database = books, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url(), odoo.url()));
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "stale { batch-size = many }\ntargets = []\n");

        CliRun noTarget = CliRun.of("-c", two.toString(), "cleanup");
        CliRun invalid = CliRun.of("-c", broken.toString(), "--target", "shop", "cleanup");

        assertThat(noTarget.exit()).isEqualTo(3);
        assertThat(noTarget.err()).contains("--target NAME");
        assertThat(invalid.exit()).isEqualTo(78);
    }

    @Test
    void anOdooThatCannotBeReachedIsRefusedWithExitTwoAndNothingWritten() throws Exception {
        Path conf = config("timeouts { connect = 2s }");
        odoo.close(); // nothing listens there any more

        CliRun run = cleanup(conf, "--apply");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("refused: Odoo was not reached").contains("nothing was written");
        assertThat(dir.resolve("state/archive")).doesNotExist();
    }
}
