package io.mailwatchdog.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The values one target (or the root) sees, and how a problem about one of them is located:
 * a value the target sets itself is shown as {@code targets[i].path}, an inherited one under its
 * root path, so that a bad root default is reported once, where it is written.
 */
final class Scope {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final ConfigObject effective;
    private final ConfigObject own;
    private final String prefix;
    private final ConfigOrigin blockOrigin;

    private Scope(ConfigObject effective, ConfigObject own, String prefix, ConfigOrigin blockOrigin) {
        this.effective = effective;
        this.own = own;
        this.prefix = prefix;
        this.blockOrigin = blockOrigin;
    }

    static Scope root(Config effective, ConfigOrigin fileOrigin) {
        return new Scope(effective.root(), null, "", fileOrigin);
    }

    /** A target's own keys over the root's overridable blocks (a deep merge: partial override). */
    static Scope target(int index, ConfigObject own, Config rootDefaults) {
        Config merged = own.toConfig().withFallback(rootDefaults);
        return new Scope(merged.root(), own, "targets[" + index + "].", own.origin());
    }

    /**
     * One block of a list that is not a target, such as {@code alerts.webhooks[0]}: it inherits
     * nothing, so every problem is shown under its full path.
     */
    static Scope element(String listPath, int index, ConfigObject element) {
        return new Scope(element, null, listPath + "[" + index + "].", element.origin());
    }

    Config config() {
        return effective.toConfig();
    }

    /** The value at path, or null when it is missing, null, or below a non-object. */
    ConfigValue value(String path) {
        return lookup(effective, path);
    }

    /** False when a block on the way is not an object: the key check reported that already. */
    boolean reachable(String path) {
        List<String> keys = ConfigUtil.splitPath(path);
        ConfigObject at = effective;
        for (int i = 0; i < keys.size() - 1; i++) {
            ConfigValue next = at.get(keys.get(i));
            if (next == null) {
                return true;
            }
            if (next.valueType() != ConfigValueType.OBJECT) {
                return false;
            }
            at = (ConfigObject) next;
        }
        return true;
    }

    boolean setInBlock(String path) {
        return own != null && lookup(own, path) != null;
    }

    /**
     * Whether this scope itself sets path: a target's own block, or anything at the root or in a
     * list element (which inherit nothing). At the root, the keys asked about have no default.
     */
    boolean setHere(String path) {
        return own == null ? value(path) != null : setInBlock(path);
    }

    String display(String path) {
        return (own == null || setInBlock(path) ? prefix : "") + path;
    }

    /** Path of the block itself: "targets[2]" or "" at the root. */
    String blockPath() {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    String displayMissing(String path) {
        return prefix + path;
    }

    ConfigOrigin blockOrigin() {
        return blockOrigin;
    }

    static String key(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : ConfigUtil.quoteString(key);
    }

    private static ConfigValue lookup(ConfigObject from, String path) {
        List<String> keys = ConfigUtil.splitPath(path);
        ConfigValue at = from;
        for (String key : keys) {
            if (at == null || at.valueType() != ConfigValueType.OBJECT) {
                return null;
            }
            at = ((ConfigObject) at).get(key);
        }
        return at == null || at.valueType() == ConfigValueType.NULL ? null : at;
    }
}
