package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.http.StatusBoard;
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
 * Runs the daemon's jobs on a Quartz scheduler with the in-memory RAMJobStore, configured here (no
 * quartz.properties). Per target: a {@link ProbeJob} every probe interval, a {@link SmtpTestJob} every
 * SMTP test interval, and an {@link ActionJob} that its probe job triggers when the plan has writes.
 * Each target starts at its own {@link #jitter} so that many targets do not fire in the same second,
 * and a tick missed (the machine slept, or the previous run of that job still ran) is skipped, not run
 * in a burst (misfire: next with remaining count).
 */
public final class WatchdogScheduler {

    static final String PROBE = "probe";
    static final String SMTP = "smtp-test";
    static final String ACTION = "action";
    static final Duration MAX_JITTER = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogScheduler.class);

    private final Map<String, TargetSettings> targets = new LinkedHashMap<>();
    private final Duration intervalOverride;
    private final StatusBoard board;
    private final Clock clock;
    private final boolean withTasks;
    private final Scheduler scheduler;

    /** Probing only, every {@code interval} for all targets (tests). */
    public WatchdogScheduler(List<TargetSettings> targets, Duration interval, Prober prober, StatusBoard board, Clock clock)
            throws SchedulerException {
        this(targets, Objects.requireNonNull(interval, "interval"), prober, TargetTasks.NONE, board, clock);
    }

    /** The daemon: each target at its own schedule, with the daemon's tasks. */
    public WatchdogScheduler(List<TargetSettings> targets, Prober prober, TargetTasks tasks, StatusBoard board, Clock clock)
            throws SchedulerException {
        this(targets, null, prober, tasks, board, clock);
    }

    private WatchdogScheduler(List<TargetSettings> targets, Duration intervalOverride, Prober prober, TargetTasks tasks,
                              StatusBoard board, Clock clock) throws SchedulerException {
        if (intervalOverride != null && intervalOverride.toMillis() < 1) {
            throw new IllegalArgumentException("the probe interval must be at least 1 ms, not " + intervalOverride);
        }
        for (TargetSettings t : targets) {
            if (this.targets.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two targets are named " + t.name());
            }
        }
        this.intervalOverride = intervalOverride;
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.withTasks = tasks != TargetTasks.NONE;
        Duration shortest = this.targets.values().stream().map(this::probeInterval).min(Duration::compareTo)
                .orElse(Duration.ofSeconds(60));
        this.scheduler = new StdSchedulerFactory(properties(shortest, threads(this.targets.size(), withTasks))).getScheduler();
        this.scheduler.getContext().put(JobContext.KEY, new JobContext(this.targets, prober, tasks, board, clock,
                intervalOverride, this::triggerAction));
    }

    private Duration probeInterval(TargetSettings t) {
        return intervalOverride != null ? intervalOverride : t.schedule().probeInterval();
    }

    /**
     * Enough threads that a long flush on one target does not hold up the probes of the others: 4, plus
     * one per 4 targets when the daemon acts, at most 16.
     */
    static int threads(int targets, boolean withTasks) {
        return withTasks ? Math.min(16, 4 + (targets + 3) / 4) : 4;
    }

    /** Quartz's configuration: RAMJobStore, a small pool, no update check, a misfire threshold below the interval. */
    static Properties properties(Duration interval, int threads) {
        Properties p = new Properties();
        // the factory keeps schedulers by name in a JVM-wide repository: each instance needs its own
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "mail-watchdog-" + UUID.randomUUID());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, "NON_CLUSTERED");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "watchdog");
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
        return JobKey.jobKey(target, PROBE);
    }

    /** From now on every probe is kept in {@code stateDir}'s history (state-dir/history, state-dir/last). */
    public void keepHistoryIn(java.nio.file.Path stateDir) {
        try {
            ((JobContext) scheduler.getContext().get(JobContext.KEY)).keepHistoryIn(stateDir);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no job context", e);
        }
    }

    /** Schedules every target's jobs and starts the scheduler; then the board is ready. */
    public synchronized void start() throws SchedulerException {
        long now = clock.millis();
        for (TargetSettings t : targets.values()) {
            String name = t.name();
            Duration interval = probeInterval(t);
            schedule(ProbeJob.class, name, PROBE, now + jitter(name, interval).toMillis(), interval);
            if (withTasks) {
                // the first SMTP test a little after the first probe, then at its own interval
                Duration smtp = t.schedule().smtpTestInterval();
                schedule(SmtpTestJob.class, name, SMTP, now + jitter(name, interval).toMillis() + 2_000, smtp);
                scheduler.addJob(JobBuilder.newJob(ActionJob.class).withIdentity(name, ACTION)
                        .usingJobData(TargetJob.TARGET, name).storeDurably().build(), true);
            }
        }
        scheduler.start();
        board.markReady();
        LOG.info("watching {} target(s)", targets.size());
    }

    private void schedule(Class<? extends TargetJob> type, String name, String group, long startAt, Duration every)
            throws SchedulerException {
        JobDetail job = JobBuilder.newJob(type).withIdentity(name, group).usingJobData(TargetJob.TARGET, name).build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(name, group)
                .startAt(new Date(startAt))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(job, trigger);
    }

    /** Runs the target's action job now, unless it is already running (then this request is dropped). */
    private void triggerAction(String target) {
        try {
            scheduler.triggerJob(JobKey.jobKey(target, ACTION));
        } catch (SchedulerException e) {
            LOG.warn("cannot start the action job of {}: {}", target, e.toString());
        }
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
     * Stops scheduling at once, then waits for the running jobs up to {@code grace}. Returns whether
     * they all finished; a job still running after the grace is left to its own deadline (the pool's
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
                LOG.warn("the scheduler did not shut down cleanly: {}", e.toString());
            }
        }, "watchdog-scheduler-shutdown");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = !closer.isAlive();
        if (!finished) {
            LOG.warn("jobs still running after the shutdown grace of {} ms", grace.toMillis());
        }
        return finished;
    }
}
