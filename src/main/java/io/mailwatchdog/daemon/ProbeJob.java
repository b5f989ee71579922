package io.mailwatchdog.daemon;

import org.quartz.DisallowConcurrentExecution;

/** Probes one target, evaluates, publishes, and asks for the action job when the plan has writes. */
@DisallowConcurrentExecution
public final class ProbeJob extends TargetJob {
    @Override
    void run(JobContext jobs, String target) {
        jobs.probeOnce(target);
    }
}
