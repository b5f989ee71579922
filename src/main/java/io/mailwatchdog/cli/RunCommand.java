package io.mailwatchdog.cli;

import io.mailwatchdog.act.Pause;
import io.mailwatchdog.config.InvalidConfigException;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.daemon.AlertWiring;
import io.mailwatchdog.daemon.ConfigWatcher;
import io.mailwatchdog.daemon.DaemonRuntime;
import io.mailwatchdog.daemon.StateDirLock;
import io.mailwatchdog.http.WatchdogMetrics;
import io.mailwatchdog.probe.Probe;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = {
        "The daemon: probes every target on a schedule, revives the mail scheduler, flushes the queue safely,",
        "serves /healthz, /readyz, /metrics, /status and / over HTTP, and alerts by webhook.",
        "Reloads its config when the files change or on SIGHUP; SIGTERM stops it cleanly (exit 0).",
        "Exit: 0 stopped by a signal, 2 another daemon uses the state-dir, 78 invalid config."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--reload-check", paramLabel = "SECONDS", defaultValue = "5",
            description = "how often the config and secret files are checked for changes (default 5)")
    int reloadSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        try {
            settings = Context.load(main, err);
        } catch (Context.Exit exit) {
            return exit.code;
        }
        if (main.target != null) {
            err.println("error: run watches every target of the config; --target is for the one-shot commands");
            return ExitCodes.UNKNOWN;
        }
        Optional<StateDirLock> stateLock = StateDirLock.tryAcquire(settings.stateDir());
        if (stateLock.isEmpty()) {
            err.println("another daemon runs with the state-dir " + settings.stateDir()
                    + "; two daemons on one state-dir would share one lock owner in Odoo");
            return ExitCodes.FAIL;
        }
        CountDownLatch stop = new CountDownLatch(1);
        WatchdogMetrics metrics = new WatchdogMetrics();
        try (StateDirLock held = stateLock.get();
             DaemonRuntime runtime = new DaemonRuntime(settings, main.clock, Probe::newSession,
                     s -> AlertWiring.alerts(s, metrics, main.clock), metrics, Pause.REAL).start();
             ConfigWatcher watcher = new ConfigWatcher(settings, () -> reload(main), runtime::reload)) {
            watcher.start(Math.max(1, reloadSeconds) * 1000L);
            Signals.onTerminate(stop::countDown);
            Signals.onHangup(watcher::requestReload);
            out.println("odoo-mail-watchdog " + VersionCommand.version() + " running: " + settings.targets().size()
                    + " target(s); status http://" + hostForUrl(settings.http().bind()) + ":" + runtime.httpPort()
                    + "/ (also /status, /metrics, /healthz, /readyz); journal in " + settings.stateDir().resolve("journal"));
            out.flush();
            stop.await();
            watcher.close(); // no reload may start jobs again while they stop
            boolean finished = runtime.stop(watcher.current().shutdownGrace());
            out.println("stopped" + (finished ? "" : " (jobs still running after the grace were abandoned)"));
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static Settings reload(Main main) throws InvalidConfigException {
        return SettingsLoader.load(Optional.ofNullable(main.config));
    }

    private static String hostForUrl(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            return "127.0.0.1";
        }
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }
}
