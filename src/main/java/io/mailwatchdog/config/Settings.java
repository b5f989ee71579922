package io.mailwatchdog.config;

import com.typesafe.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole validated configuration.
 *
 * @param source        the file it was loaded from
 * @param stateDir      the resolved state directory (see {@link StateDirectory})
 * @param checkTimeout  deadline of the one-shot {@code check} command
 * @param effective     the merged configuration (known root keys, each target after override),
 *                      for display; inline passwords, the inline {@code http.token} and inline
 *                      webhook URLs are already replaced by {@code ********}, the real values
 *                      live only in {@link Secret}s
 * @param http          the daemon's HTTP endpoints
 * @param alerts        the daemon's webhook notifications
 * @param shutdownGrace how long the daemon waits for running jobs on SIGTERM
 */
public record Settings(Path source, Path stateDir, Duration checkTimeout, List<TargetSettings> targets,
                       Config effective, HttpSettings http, AlertsSettings alerts, Duration shutdownGrace) {
    public Settings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        targets = List.copyOf(targets);
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    public Optional<TargetSettings> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Short: the effective config is printed by {@link SettingsPrinter}, not here. Secrets print masked. */
    @Override
    public String toString() {
        return "Settings[source=" + source + ", stateDir=" + stateDir + ", checkTimeout=" + checkTimeout
                + ", targets=" + targets + ", http=" + http + ", alerts=" + alerts
                + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
