package io.mailwatchdog.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared body of the per-target jobs: stateless (Quartz makes an instance per run); the target name
 * comes from the JobDataMap, the live objects from the scheduler context. One job per target and kind,
 * so {@link DisallowConcurrentExecution} keeps two runs of the same kind on the same target apart;
 * writes are kept apart across kinds by the daemon's write lane. Never throws out of execute.
 */
abstract class TargetJob implements Job {

    /** The JobDataMap key of the target's name. */
    public static final String TARGET = "target";

    private static final Logger LOG = LoggerFactory.getLogger(TargetJob.class);

    @Override
    public final void execute(JobExecutionContext context) {
        String target = context.getMergedJobDataMap().getString(TARGET);
        JobContext jobs;
        try {
            jobs = (JobContext) context.getScheduler().getContext().get(JobContext.KEY);
        } catch (Exception e) {
            LOG.error("job of {} cannot reach its scheduler context: {}", target, e.toString());
            return;
        }
        if (jobs == null) {
            LOG.error("job of {} has no context in its scheduler", target);
            return;
        }
        run(jobs, target);
    }

    abstract void run(JobContext jobs, String target);
}
