package io.mailwatchdog.cli;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.Evaluator;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.probe.ProbeRunner;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One read-only pass over the targets: probe them all (bounded), then evaluate each. */
final class CheckRun {

    private CheckRun() {
    }

    static List<Snapshot> snapshots(Settings settings, List<TargetSettings> targets, Duration timeout, boolean smtpTests,
                                    Clock clock) {
        StateFiles state = new StateFiles(settings.stateDir());
        Probe probe = new Probe(clock, new LoginParking(state), new SmtpTestMemory(state), smtpTests);
        int concurrency = targets.stream().mapToInt(t -> t.probe().concurrency()).max().orElse(1);
        return new ProbeRunner(probe, clock).probeAll(targets, concurrency, timeout);
    }

    static List<TargetReport> reports(List<Snapshot> snapshots, List<TargetSettings> targets) {
        Map<String, TargetSettings> byName = new java.util.HashMap<>();
        targets.forEach(t -> byName.put(t.name(), t));
        List<TargetReport> out = new ArrayList<>();
        for (Snapshot s : snapshots) {
            out.add(Evaluator.evaluate(s, byName.get(s.target()).thresholds()));
        }
        return out;
    }

}
