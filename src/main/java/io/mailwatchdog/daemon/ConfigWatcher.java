package io.mailwatchdog.daemon;

import io.mailwatchdog.config.ConfigProblem;
import io.mailwatchdog.config.InvalidConfigException;
import io.mailwatchdog.config.Settings;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config when it changes: the config file, a secret file read again (a rotated password or
 * token), or on demand (SIGHUP). It loads and validates in full every few seconds and applies the new
 * settings only when they differ, which also catches Kubernetes' ConfigMap symlink swaps that file
 * events miss. An invalid config keeps the last good one, says why once, and is counted.
 */
public final class ConfigWatcher implements AutoCloseable {

    /** Loads the settings as at start-up. */
    @FunctionalInterface
    public interface Loader {
        Settings load() throws InvalidConfigException;
    }

    /** Applies good new settings. */
    @FunctionalInterface
    public interface Applier {
        void apply(Settings next) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Loader loader;
    private final Applier applier;
    private final ScheduledExecutorService timer;
    private Settings current;
    /** Settings that failed to apply: not tried again until the files change again. */
    private Settings failedToApply;
    private String lastProblem;
    private long failures;

    public ConfigWatcher(Settings current, Loader loader, Applier applier) {
        this.current = Objects.requireNonNull(current, "current");
        this.loader = loader;
        this.applier = applier;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    public ConfigWatcher start(long periodMillis) {
        timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** SIGHUP: check now, on the watcher's thread. */
    public void requestReload() {
        timer.execute(() -> check(true));
    }

    void check() {
        check(false);
    }

    /** One look; returns whether new settings were applied. Never throws. */
    synchronized boolean check(boolean asked) {
        Settings next;
        try {
            next = loader.load();
        } catch (InvalidConfigException e) {
            failures++;
            String problem = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
            if (asked || !problem.equals(lastProblem)) {
                LOG.error("the changed config is invalid, the last good one stays in force: {}", problem);
            }
            lastProblem = problem;
            return false;
        } catch (RuntimeException e) {
            failures++;
            LOG.error("cannot reload the config, the last good one stays in force: {}", e.toString());
            return false;
        }
        if (lastProblem != null) {
            lastProblem = null;
        }
        if (next.equals(current) || next.equals(failedToApply) && !asked) {
            if (asked) {
                LOG.info("reload asked: the config has not changed");
            }
            return false;
        }
        try {
            applier.apply(next);
            current = next;
            failedToApply = null;
            return true;
        } catch (Exception e) {
            failures++;
            failedToApply = next;
            LOG.error("applying the new config failed, the last good one stays in force until the files change: {}",
                    e.toString());
            return false;
        }
    }

    /** How many reloads failed (invalid config or failed apply). */
    public synchronized long failures() {
        return failures;
    }

    public synchronized Settings current() {
        return current;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
