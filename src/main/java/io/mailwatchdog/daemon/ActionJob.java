package io.mailwatchdog.daemon;

import org.quartz.DisallowConcurrentExecution;

/** Runs what the policy allows on one target now; triggered by its probe job, never on its own schedule. */
@DisallowConcurrentExecution
public final class ActionJob extends TargetJob {
    @Override
    void run(JobContext jobs, String target) {
        jobs.actOnce(target);
    }
}
