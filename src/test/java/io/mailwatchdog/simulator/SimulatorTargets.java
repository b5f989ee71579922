package io.mailwatchdog.simulator;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Watchdog targets (config as a user writes it) pointing at simulated databases, and a probe for them. */
final class SimulatorTargets {

    private SimulatorTargets() {
    }

    /** One target per database, named after it, each at the database's own URL (its version answers version()). */
    static List<TargetSettings> targets(Path dir, SimulatedOdoo odoo, List<SimulatedDatabase> databases) throws Exception {
        StringBuilder conf = new StringBuilder("state-dir = \"" + dir.resolve("state") + "\"\ntargets = [\n");
        for (SimulatedDatabase db : databases) {
            conf.append("  { name = ").append(db.name()).append(", url = \"").append(odoo.url(db.name()))
                    .append("\", database = ").append(db.name()).append(", login = admin, password = admin }\n");
        }
        conf.append("]\n");
        Path file = dir.resolve("watchdog.conf");
        Files.writeString(file, conf.toString());
        Settings settings = SettingsLoader.load(Optional.of(file), Map.of());
        return settings.targets();
    }

    static Probe probe(Path dir, Clock clock, boolean smtpTests) {
        StateFiles state = new StateFiles(dir.resolve("state"));
        return new Probe(clock, new LoginParking(state), new SmtpTestMemory(state), smtpTests);
    }
}
