package io.mailwatchdog.history;

import io.mailwatchdog.health.TargetReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon does with each report besides publishing it: a line in the target's {@link ProbeHistory} and
 * the {@link LastProbe} file. History is for looking back, so it must never break a probe: {@link #record} never
 * throws, and logs a failure once per target (and once more when it works again).
 */
public final class HistoryKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryKeeper.class);

    private final Path stateDir;
    private final Clock clock;
    /** Targets whose last attempt failed: logged once, not again until it works. */
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    public HistoryKeeper(Path stateDir, Clock clock) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Appends the report's line and replaces the target's last probe; every string masked by {@code redact}. */
    public void record(TargetReport report, UnaryOperator<String> redact) {
        String target = report.target();
        try {
            ProbeHistory.open(stateDir, target, clock, redact).probe(report);
            LastProbe.save(stateDir, report, clock.instant(), redact);
            if (failing.remove(target) != null) {
                LOG.info("the probe history of {} is written again ({})", target, ProbeHistory.file(stateDir, target));
            }
        } catch (Exception | LinkageError e) {
            if (failing.put(target, Boolean.TRUE) == null) {
                LOG.warn("cannot write the probe history of {} in {}: {}; probing goes on, and this is not logged"
                        + " again until it works", target, stateDir, redact.apply(String.valueOf(e)));
            }
        }
    }
}
