package io.mailwatchdog.config;

import java.nio.file.Path;
import java.util.Map;

/** Where the journal and other state live when {@code state-dir} is left empty. */
public final class StateDirectory {
    static final String APP = "odoo-mail-watchdog";

    private StateDirectory() {
    }

    /**
     * {@code configured} when not empty, else {@code $STATE_DIRECTORY} (set by systemd's
     * {@code StateDirectory=}), else {@code $XDG_STATE_HOME/odoo-mail-watchdog}, else
     * {@code /var/lib/odoo-mail-watchdog} when running as root, else
     * {@code ~/.local/state/odoo-mail-watchdog}.
     */
    public static Path resolve(String configured, Map<String, String> env) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return resolve(configured, env, root, Path.of(System.getProperty("user.home")));
    }

    static Path resolve(String configured, Map<String, String> env, boolean root, Path home) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        // systemd joins several StateDirectory= entries with ':'; the first is ours.
        String systemd = env.getOrDefault("STATE_DIRECTORY", "");
        if (!systemd.isBlank()) {
            return Path.of(systemd.split(":", -1)[0]);
        }
        // The XDG spec says to ignore a relative XDG_STATE_HOME.
        String xdg = env.getOrDefault("XDG_STATE_HOME", "");
        if (!xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, APP);
        }
        if (root) {
            return Path.of("/var/lib", APP);
        }
        return home.resolve(".local/state").resolve(APP);
    }
}
