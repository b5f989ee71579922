package io.mailwatchdog.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one target. Stateless: Quartz makes a new instance per run; the target name comes from the
 * JobDataMap ({@link #TARGET}) and the live objects from the scheduler context. One job per target,
 * so {@link DisallowConcurrentExecution} means two probes of the same target never overlap. Never
 * throws out of {@link #execute}.
 */
@DisallowConcurrentExecution
public final class ProbeJob implements Job {

    /** The JobDataMap key of the target's name. */
    public static final String TARGET = "target";

    private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);

    public ProbeJob() {
        // Quartz instantiates the job per run
    }

    @Override
    public void execute(JobExecutionContext context) {
        String target = context.getMergedJobDataMap().getString(TARGET);
        ProbeContext probes;
        try {
            probes = (ProbeContext) context.getScheduler().getContext().get(ProbeContext.KEY);
        } catch (Exception e) {
            LOG.error("probe job of {} cannot reach its scheduler context: {}", target, e.toString());
            return;
        }
        if (probes == null) {
            LOG.error("probe job of {} has no probe context in its scheduler", target);
            return;
        }
        probes.probeOnce(target);
    }
}
