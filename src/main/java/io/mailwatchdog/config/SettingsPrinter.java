package io.mailwatchdog.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where configuration is printed ({@code config show}): the effective config as
 * HOCON, every inline password as {@code ********}. {@code password-env} and
 * {@code password-file} are shown: they name where the secret is, not what it is.
 */
public final class SettingsPrinter {
    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.defaults()
            .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);

    private SettingsPrinter() {
    }

    public static String masked(Settings settings) {
        return masked(settings, null);
    }

    /** The effective config, passwords masked; with {@code onlyTarget}, that target alone. */
    public static String masked(Settings settings, String onlyTarget) {
        // Masked again here, so that a Settings built by hand cannot print a password either.
        Config shown = settings.effective();
        ConfigValue targets = shown.root().get("targets");
        if (targets != null && targets.valueType() == ConfigValueType.LIST) {
            List<Object> masked = new ArrayList<>();
            for (ConfigValue target : (ConfigList) targets) {
                if (onlyTarget != null && target instanceof ConfigObject o
                        && !onlyTarget.equals(String.valueOf(o.toConfig().root().get("name") == null ? null
                        : o.toConfig().root().get("name").unwrapped()))) {
                    continue;
                }
                masked.add(target instanceof ConfigObject o ? maskPassword(o.toConfig()).root() : target);
            }
            shown = shown.withValue("targets", ConfigValueFactory.fromIterable(masked));
        }
        return "# source: " + settings.source() + "\n"
                + "# state-dir resolves to: " + settings.stateDir() + "\n"
                + shown.root().render(HOCON);
    }

    static Config maskPassword(Config target) {
        return target.hasPathOrNull("password")
                ? target.withValue("password", ConfigValueFactory.fromAnyRef(Secret.MASK))
                : target;
    }
}
