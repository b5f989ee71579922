package io.mailwatchdog.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StateDirectoryTest {
    static final Path HOME = Path.of("/home/ops");

    @Test
    void usesTheConfiguredDirectoryFirst() {
        assertThat(StateDirectory.resolve("/srv/wd", Map.of("STATE_DIRECTORY", "/x"), true, HOME)).isEqualTo(Path.of("/srv/wd"));
    }

    @Test
    void usesTheFirstOfSystemdsStateDirectories() {
        assertThat(StateDirectory.resolve("", Map.of("STATE_DIRECTORY", "/var/lib/a:/var/lib/b"), false, HOME))
                .isEqualTo(Path.of("/var/lib/a"));
    }

    @Test
    void usesAnAbsoluteXdgStateHomeAndIgnoresARelativeOne() {
        assertThat(StateDirectory.resolve("", Map.of("XDG_STATE_HOME", "/xdg"), false, HOME))
                .isEqualTo(Path.of("/xdg/odoo-mail-watchdog"));
        assertThat(StateDirectory.resolve("", Map.of("XDG_STATE_HOME", "rel"), false, HOME))
                .isEqualTo(Path.of("/home/ops/.local/state/odoo-mail-watchdog"));
    }

    @Test
    void usesVarLibForRootAndTheHomeDirectoryOtherwise() {
        assertThat(StateDirectory.resolve("", Map.of(), true, HOME)).isEqualTo(Path.of("/var/lib/odoo-mail-watchdog"));
        assertThat(StateDirectory.resolve("", Map.of(), false, HOME)).isEqualTo(Path.of("/home/ops/.local/state/odoo-mail-watchdog"));
    }
}
