package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.probe.Snapshot;

/**
 * What the daemon does besides probing, per target: react to each report (alerts, planning), run the
 * action job when asked, and run the SMTP test job. Each call may throw: the job counts and logs it.
 */
public interface TargetTasks {

    /** Before the report is published and alerted on: what only the daemon knows (the retry's circuit). */
    default TargetReport annotate(TargetSettings target, TargetReport report) {
        return report;
    }

    /** After each probe; true asks for the target's action job to run now. */
    boolean reported(TargetSettings target, Snapshot snapshot, TargetReport report);

    /** The action job: writes, through the target's one write lane. */
    void act(TargetSettings target) throws Exception;

    /** The SMTP test job. */
    void testSmtp(TargetSettings target) throws Exception;

    /** Probing only (tests, and the scheduler's original shape). */
    TargetTasks NONE = new TargetTasks() {
        @Override
        public boolean reported(TargetSettings target, Snapshot snapshot, TargetReport report) {
            return false;
        }

        @Override
        public void act(TargetSettings target) {
        }

        @Override
        public void testSmtp(TargetSettings target) {
        }
    };
}
