package io.mailwatchdog.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the config file: {@code -c}, else {@code $ODOO_MAIL_WATCHDOG_CONFIG}, else
 * {@code /etc/odoo-mail-watchdog/watchdog.conf}, else {@code ./config/watchdog.conf}. A file named
 * with {@code -c} or the variable must exist: silently falling back to another file would run the
 * daemon against a configuration nobody asked for.
 */
final class ConfigFileLocator {
    static final String ENV = "ODOO_MAIL_WATCHDOG_CONFIG";
    static final ConfigFileLocator DEFAULT = new ConfigFileLocator(
            Path.of("/etc/odoo-mail-watchdog/watchdog.conf"), Path.of("config/watchdog.conf"));

    private final Path system;
    private final Path local;

    ConfigFileLocator(Path system, Path local) {
        this.system = system;
        this.local = local;
    }

    Path locate(Optional<Path> explicit, Map<String, String> env) throws InvalidConfigException {
        if (explicit.isPresent()) {
            return existing(explicit.get(), "given with -c");
        }
        String fromEnv = env.getOrDefault(ENV, "");
        if (!fromEnv.isBlank()) {
            return existing(Path.of(fromEnv), "named by $" + ENV);
        }
        for (Path candidate : List.of(system, local)) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new InvalidConfigException(null, List.of(new ConfigProblem("", -1, "",
                "no configuration file found; looked for -c (not given), $" + ENV + " (not set), "
                        + system + ", ./" + local)));
    }

    private static Path existing(Path file, String how) throws InvalidConfigException {
        if (!Files.exists(file)) {
            throw new InvalidConfigException(file, List.of(new ConfigProblem(file.toString(), -1, "",
                    "config file not found (" + how + ")")));
        }
        return file;
    }
}
