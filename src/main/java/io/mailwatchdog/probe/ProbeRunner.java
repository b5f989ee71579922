package io.mailwatchdog.probe;

import io.mailwatchdog.config.TargetSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes many targets at once, at most {@code concurrency} at a time, all within one deadline. A
 * target not done by then is reported with a {@code deadline} failure (UNKNOWN), never waited for.
 */
public final class ProbeRunner {

    private final Probe probe;
    private final Clock clock;

    public ProbeRunner(Probe probe, Clock clock) {
        this.probe = probe;
        this.clock = clock;
    }

    public List<Snapshot> probeAll(List<TargetSettings> targets, int concurrency, Duration deadline) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, targets.size())), r -> {
            Thread t = new Thread(r, "probe-" + n.incrementAndGet());
            t.setDaemon(true); // a hung probe must not keep the process alive past the deadline
            return t;
        });
        Instant started = clock.instant();
        long end = System.nanoTime() + deadline.toNanos();
        try {
            List<Future<Snapshot>> futures = new ArrayList<>();
            for (TargetSettings target : targets) {
                Instant until = started.plus(deadline);
                futures.add(pool.submit(() -> probe.probe(target, until)));
            }
            List<Snapshot> out = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                out.add(await(futures.get(i), targets.get(i), end, started, deadline));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Snapshot await(Future<Snapshot> future, TargetSettings target, long end, Instant started, Duration deadline) {
        try {
            return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(target, started, new ProbeFailure("deadline",
                    "the probe did not finish within the run's timeout of " + io.mailwatchdog.text.Texts.human(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(target, started, new ProbeFailure("deadline", "interrupted"));
        } catch (ExecutionException e) {
            return failed(target, started, new ProbeFailure("internal", "internal error: " + e.getCause()));
        }
    }

    private Snapshot failed(TargetSettings target, Instant started, ProbeFailure failure) {
        return new Snapshot(target.name(), started, Duration.between(started, clock.instant()), 0, null, failure,
                null, null, List.of(), null, List.of());
    }
}
