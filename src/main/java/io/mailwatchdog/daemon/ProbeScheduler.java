package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.http.StatusBoard;
import io.mailwatchdog.probe.Probe;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.CRC32;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ProbeJob} per target every {@code interval} on a Quartz scheduler with the
 * in-memory RAMJobStore, configured here (no quartz.properties). Each target starts at its own
 * {@link #jitter} so that many targets do not fire in the same second, and a tick missed (the machine
 * slept, or the previous probe of that target still ran) is skipped, not run in a burst
 * (misfire: next with remaining count). Each probe must end before its next tick: its deadline is
 * the interval.
 */
public final class ProbeScheduler {

    static final String GROUP = "probe";
    static final int THREADS = 4;
    static final Duration MAX_JITTER = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

    private final Map<String, TargetSettings> targets = new LinkedHashMap<>();
    private final Duration interval;
    private final StatusBoard board;
    private final Clock clock;
    private final Scheduler scheduler;

    /** The production scheduler: each tick runs {@code probe.probe(target, deadline)}. */
    public ProbeScheduler(List<TargetSettings> targets, Duration interval, Probe probe, StatusBoard board, Clock clock)
            throws SchedulerException {
        this(targets, interval, (Prober) probe::probe, board, clock);
    }

    public ProbeScheduler(List<TargetSettings> targets, Duration interval, Prober prober, StatusBoard board, Clock clock)
            throws SchedulerException {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the probe interval must be at least 1 ms, not " + interval);
        }
        for (TargetSettings t : targets) {
            if (this.targets.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two targets are named " + t.name());
            }
        }
        this.interval = interval;
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = new StdSchedulerFactory(properties(interval)).getScheduler();
        this.scheduler.getContext().put(ProbeContext.KEY, new ProbeContext(this.targets, prober, board, clock, interval));
    }

    /** Quartz's configuration: RAMJobStore, a small pool, no update check, a misfire threshold below the interval. */
    static Properties properties(Duration interval) {
        Properties p = new Properties();
        // the factory keeps schedulers by name in a JVM-wide repository: each instance needs its own
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "mail-watchdog-" + UUID.randomUUID());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, "NON_CLUSTERED");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "probe");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(misfireThreshold(interval).toMillis()));
        return p;
    }

    /**
     * A tick later than this is a misfire, skipped to the next one. Half the interval (at most 5 s, at
     * least 50 ms): a late tick is not followed by quick catch-up ticks.
     */
    static Duration misfireThreshold(Duration interval) {
        long half = interval.toMillis() / 2;
        return Duration.ofMillis(Math.max(50, Math.min(half, 5_000)));
    }

    /** The target's start offset: stable per name, in [0, min(interval, 10 s)). */
    static Duration jitter(String target, Duration interval) {
        long bound = Math.min(interval.toMillis(), MAX_JITTER.toMillis());
        if (bound <= 1) {
            return Duration.ZERO;
        }
        CRC32 crc = new CRC32();
        crc.update(target.getBytes(StandardCharsets.UTF_8));
        return Duration.ofMillis(Math.floorMod(crc.getValue(), bound));
    }

    static JobKey jobKey(String target) {
        return JobKey.jobKey(target, GROUP);
    }

    /** Schedules every target's probe job and starts the scheduler; then the board is ready. */
    public synchronized void start() throws SchedulerException {
        long now = clock.millis();
        for (String name : targets.keySet()) {
            JobDetail job = JobBuilder.newJob(ProbeJob.class)
                    .withIdentity(jobKey(name))
                    .usingJobData(ProbeJob.TARGET, name)
                    .build();
            Trigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(name, GROUP)
                    .startAt(new Date(now + jitter(name, interval).toMillis()))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(interval.toMillis())
                            .repeatForever()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            scheduler.scheduleJob(job, trigger);
        }
        scheduler.start();
        board.markReady();
        LOG.info("probing {} target(s) every {} ms", targets.size(), interval.toMillis());
    }

    /** The scheduler has started and is not shut down (for /healthz). */
    public boolean isAlive() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * Stops scheduling at once, then waits for the running probes up to {@code grace}. Returns whether
     * they all finished; a probe still running after the grace is left to its deadline (the pool's
     * threads are daemons, so it does not keep the JVM alive).
     */
    public boolean shutdown(Duration grace) {
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            LOG.debug("standby before shutdown failed", e);
        }
        Thread closer = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("the probe scheduler did not shut down cleanly: {}", e.toString());
            }
        }, "probe-scheduler-shutdown");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = !closer.isAlive();
        if (!finished) {
            LOG.warn("probes still running after the shutdown grace of {} ms", grace.toMillis());
        }
        return finished;
    }
}
