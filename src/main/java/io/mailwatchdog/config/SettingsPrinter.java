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
 * HOCON, every inline secret as {@code ********}: a target's {@code password}, {@code http.token}
 * and each webhook's {@code url}. Their {@code -env} and {@code -file} keys are shown: they name
 * where the secret is, not what it is.
 */
public final class SettingsPrinter {
    private static final ConfigRenderOptions HOCON = ConfigRenderOptions.defaults()
            .setOriginComments(false).setComments(false).setJson(false).setFormatted(true);

    private SettingsPrinter() {
    }

    public static String masked(Settings settings) {
        return masked(settings, null);
    }

    /** The effective config, inline secrets masked; with {@code onlyTarget}, that target alone. */
    public static String masked(Settings settings, String onlyTarget) {
        // Masked again here, so that a Settings built by hand cannot print a secret either.
        Config shown = maskRootSecrets(settings.effective());
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

    /** http.token and the url of every webhook in alerts.webhooks, where they are set inline. */
    static Config maskRootSecrets(Config root) {
        Config masked = root;
        if (root.root().get("http") instanceof ConfigObject http && http.containsKey("token")) {
            masked = masked.withValue("http.token", ConfigValueFactory.fromAnyRef(Secret.MASK));
        }
        if (root.root().get("alerts") instanceof ConfigObject alerts
                && alerts.get("webhooks") instanceof ConfigList webhooks) {
            List<Object> shown = new ArrayList<>();
            for (ConfigValue webhook : webhooks) {
                shown.add(webhook instanceof ConfigObject o && o.containsKey("url")
                        ? o.withValue("url", ConfigValueFactory.fromAnyRef(Secret.MASK)) : webhook);
            }
            masked = masked.withValue("alerts.webhooks", ConfigValueFactory.fromIterable(shown));
        }
        return masked;
    }

    static Config maskPassword(Config target) {
        return target.hasPathOrNull("password")
                ? target.withValue("password", ConfigValueFactory.fromAnyRef(Secret.MASK))
                : target;
    }
}
