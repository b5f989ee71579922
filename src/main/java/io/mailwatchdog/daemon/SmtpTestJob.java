package io.mailwatchdog.daemon;

import org.quartz.DisallowConcurrentExecution;

/** Tests the target's outgoing mail servers (schedule.smtp-test-interval); the probes show the latest results. */
@DisallowConcurrentExecution
public final class SmtpTestJob extends TargetJob {
    @Override
    void run(JobContext jobs, String target) {
        jobs.testSmtpOnce(target);
    }
}
