package io.mailwatchdog.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads, validates and types the configuration in one pass. Every problem is collected and
 * thrown together in an {@link InvalidConfigException}, each with its file and line.
 */
public final class SettingsLoader {
    private SettingsLoader() {
    }

    public static Settings load(Optional<Path> explicit) throws InvalidConfigException {
        return load(explicit, System.getenv());
    }

    /** @param env the process environment (a map, so tests need not set real variables) */
    public static Settings load(Optional<Path> explicit, Map<String, String> env) throws InvalidConfigException {
        return load(explicit, env, ConfigFileLocator.DEFAULT);
    }

    static Settings load(Optional<Path> explicit, Map<String, String> env, ConfigFileLocator locator)
            throws InvalidConfigException {
        Path file = locator.locate(explicit, env);
        Problems problems = new Problems(file);
        Config user = parseAndResolve(file, env, problems);
        if (user == null) {
            throw problems.toException();
        }
        Config effective = user.withFallback(ConfigFactory.defaultReference());
        new KeyChecker(problems).check(user.root());

        Path baseDir = file.toAbsolutePath().getParent();
        ValueReader read = new ValueReader(problems);
        SharedSettingsReader shared = new SharedSettingsReader(read, baseDir);
        SecretReader secrets = new SecretReader(read, env, baseDir);
        TargetReader targetReader = new TargetReader(read, shared, secrets);
        RootSettingsReader rootOnly = new RootSettingsReader(read, secrets);

        Scope root = Scope.root(effective, user.origin());
        Path stateDir = stateDir(root, read, env);
        Duration checkTimeout = read.positiveDuration(root, "check.timeout", "50s");
        HttpSettings http = rootOnly.http(root);
        AlertsSettings alerts = rootOnly.alerts(root);
        Duration shutdownGrace = read.positiveDuration(root, "shutdown-grace", "30s");
        // Validate the root defaults once, even for a file whose targets are broken.
        Timeouts rootTimeouts = shared.timeouts(root);
        shared.thresholds(root);
        shared.probe(root);
        shared.tls(root);
        shared.allowInsecureHttp(root);
        shared.mode(root);
        shared.schedule(root);
        shared.schedulerWatchdog(root);
        shared.lock(root, shared.flush(root), rootTimeouts);
        shared.retry(root);
        shared.stale(root);
        shared.journal(root);

        List<Scope> scopes = targetScopes(user, effective, problems);
        List<TargetSettings> targets = new ArrayList<>();
        for (Scope scope : scopes) {
            targetReader.read(scope).ifPresent(targets::add);
        }
        rejectDuplicateNames(scopes, read);

        if (!problems.isEmpty()) {
            throw problems.toException();
        }
        return new Settings(file, stateDir, checkTimeout, targets, forDisplay(effective, scopes),
                http, alerts, shutdownGrace);
    }

    private static Config parseAndResolve(Path file, Map<String, String> env, Problems problems) {
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            // Substitutions such as ${CREDENTIALS_DIRECTORY} come from the given env, not System.getenv().
            Config source = parsed.withFallback(ConfigFactory.defaultReference())
                    .withFallback(ConfigValueFactory.fromMap(env));
            return parsed.resolveWith(source, ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            problems.add(e.origin(), "", withoutOrigin(e));
            return null;
        }
    }

    /** ConfigException's message starts with its origin, which the problem already shows. */
    private static String withoutOrigin(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
            message = message.substring(e.origin().description().length() + 2);
        }
        return e instanceof ConfigException.Parse && !(e instanceof ConfigException.UnresolvedSubstitution)
                ? "HOCON syntax error: " + message : message;
    }

    private static Path stateDir(Scope root, ValueReader read, Map<String, String> env) {
        String configured = read.string(root, "state-dir").orElse("");
        if (!configured.isBlank() && !Path.of(configured).isAbsolute()) {
            read.problem(root, "state-dir", "must be an absolute path (or \"\" for automatic), got "
                    + ValueReader.got(root.value("state-dir")));
        }
        return StateDirectory.resolve(configured, env);
    }

    private static List<Scope> targetScopes(Config user, Config effective, Problems problems) {
        ConfigValue targets = user.root().get("targets");
        String example = "targets = [ { name = ..., url = ..., database = ..., login = ..., password-env = ... } ]";
        if (targets == null || targets.valueType() == ConfigValueType.NULL) {
            problems.add(user.origin(), "targets", "missing: list at least one Odoo database, " + example);
            return List.of();
        }
        if (targets.valueType() != ConfigValueType.LIST) {
            return List.of(); // KeyChecker reported it
        }
        ConfigList list = (ConfigList) targets;
        if (list.isEmpty()) {
            problems.add(list.origin(), "targets", "empty: list at least one Odoo database, " + example);
        }
        Config defaults = overridableDefaults(effective);
        List<Scope> scopes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof ConfigObject target) {
                scopes.add(Scope.target(i, target, defaults));
            }
        }
        return scopes;
    }

    /**
     * What targets inherit. A root block that is not a block (already reported) is replaced by
     * reference.conf's, so that a target overriding part of it is not told the rest is missing.
     */
    private static Config overridableDefaults(Config effective) {
        Config reference = ConfigFactory.defaultReference();
        Config defaults = ConfigFactory.empty();
        for (Map.Entry<String, Schema.Node> entry : Schema.OVERRIDABLE.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = effective.root().get(key);
            boolean brokenBlock = value != null && entry.getValue().kind() == Schema.Kind.BLOCK
                    && value.valueType() != ConfigValueType.OBJECT;
            if (brokenBlock && reference.hasPath(key)) {
                value = reference.getValue(key);
            }
            if (value != null) {
                defaults = defaults.withValue(key, value);
            }
        }
        return defaults;
    }

    private static void rejectDuplicateNames(List<Scope> scopes, ValueReader read) {
        Map<String, Scope> firstByName = new HashMap<>();
        for (Scope scope : scopes) {
            ConfigValue name = scope.value("name");
            if (name == null || name.valueType() != ConfigValueType.STRING) {
                continue;
            }
            Scope first = firstByName.putIfAbsent((String) name.unwrapped(), scope);
            if (first != null) {
                read.problem(scope, "name", "duplicate target name " + ValueReader.got(name)
                        + ", already used by " + first.blockPath() + " (line " + first.value("name").origin().lineNumber() + ")");
            }
        }
    }

    /** Known root keys with inline secrets masked, and each target after override with its inline password masked. */
    private static Config forDisplay(Config effective, List<Scope> targets) {
        Config shown = ConfigFactory.empty();
        for (String key : Schema.ROOT.keySet()) {
            if (!key.equals("targets") && effective.hasPath(key)) {
                shown = shown.withValue(key, effective.getValue(key));
            }
        }
        List<ConfigObject> masked = new ArrayList<>();
        for (Scope target : targets) {
            masked.add(SettingsPrinter.maskPassword(target.config()).root());
        }
        return SettingsPrinter.maskRootSecrets(shown).withValue("targets", ConfigValueFactory.fromIterable(masked));
    }
}
