package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.odoo.OdooFault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ir.config_parameter} as the watchdog's writers will use it: create, read, write, unlink. */
class ConfigParameterTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    SimulatedClock clock;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        clock = new SimulatedClock(NOW);
        odoo = new SimulatedOdoo(clock);
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void aSecondParameterWithTheSameKeyIsRefusedWithOdoosConstraintText(String version) throws Exception {
        SimulatedDatabase db = odoo.addDatabase("params", version);
        WatchdogClient client = new WatchdogClient(odoo, db.name());
        Map<String, Object> lease = Map.of("key", "odoo_mail_watchdog.flush_lease", "value", "node-a 2026-11-23 12:00:00");

        Object id = client.call("ir.config_parameter", "create", List.of(lease), Map.of());
        OdooFault duplicate = client.fault("ir.config_parameter", "create", List.of(lease), Map.of());

        assertThat(id).isInstanceOf(Integer.class);
        assertThat(duplicate.code()).isEqualTo(2);
        assertThat(duplicate.faultString()).isEqualTo("The operation cannot be completed: Key must be unique.");
        assertThat(db.param("odoo_mail_watchdog.flush_lease")).contains("node-a 2026-11-23 12:00:00");
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "19.0"})
    void aParameterIsReadWrittenWithANewWriteDateAndUnlinkedOnce(String version) throws Exception {
        SimulatedDatabase db = odoo.addDatabase("params", version);
        WatchdogClient client = new WatchdogClient(odoo, db.name());
        int id = (Integer) client.call("ir.config_parameter", "create",
                List.of(Map.of("key", "watchdog.lease", "value", "a")), Map.of());
        clock.advance(Duration.ofMinutes(5));

        assertThat(client.call("ir.config_parameter", "write", List.of(List.of(id), Map.of("value", "b")), Map.of()))
                .isEqualTo(true);
        Object rows = client.call("ir.config_parameter", "search_read", List.of(List.of(List.of("key", "=", "watchdog.lease"))),
                Map.of("fields", List.of("id", "key", "value", "create_date", "write_date")));
        assertThat(WatchdogClient.rows(rows)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("id", id).containsEntry("value", "b").containsEntry("create_date", "2026-11-23 12:00:00")
                .containsEntry("write_date", "2026-11-23 12:05:00"));
        assertThat(client.call("ir.config_parameter", "get_param", List.of("watchdog.lease"), Map.of())).isEqualTo("b");

        assertThat(client.call("ir.config_parameter", "unlink", List.of(List.of(id)), Map.of())).isEqualTo(true);
        OdooFault gone = client.fault("ir.config_parameter", "unlink", List.of(List.of(id)), Map.of());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.faultString()).isEqualTo("Record does not exist or has been deleted.\n(Record: ir.config_parameter("
                + id + ",), User: 2)");
        assertThat(client.call("ir.config_parameter", "get_param", List.of("watchdog.lease"), Map.of())).isEqualTo(false);
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"17.0", "18.0"})
    void aNeutralizedDatabaseSaysSoThroughGetParam(String version) throws Exception {
        SimulatedDatabase plain = odoo.addDatabase("prod", version);
        SimulatedDatabase staging = odoo.addDatabase("staging", version).neutralize();

        assertThat(new WatchdogClient(odoo, plain.name()).call("ir.config_parameter", "get_param",
                List.of("database.is_neutralized"), Map.of())).isEqualTo(false);
        assertThat(new WatchdogClient(odoo, staging.name()).call("ir.config_parameter", "get_param",
                List.of("database.is_neutralized"), Map.of())).isEqualTo("true");
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"18.0"})
    void aDefaultParameterCannotBeDeleted(String version) throws Exception {
        SimulatedDatabase db = odoo.addDatabase("params", version);
        WatchdogClient client = new WatchdogClient(odoo, db.name());
        Object rows = client.call("ir.config_parameter", "search_read", List.of(List.of(List.of("key", "=", "web.base.url"))),
                Map.of("fields", List.of("id")));
        int id = (Integer) WatchdogClient.rows(rows).get(0).get("id");

        OdooFault refused = client.fault("ir.config_parameter", "unlink", List.of(List.of(id)), Map.of());

        assertThat(refused.faultString()).isEqualTo("You cannot delete the web.base.url record.");
    }
}
