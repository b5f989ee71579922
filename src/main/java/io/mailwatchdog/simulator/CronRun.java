package io.mailwatchdog.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One run of the mail scheduler by a simulated cron worker, started by a poll. */
public final class CronRun {

    /** How the run ended, in 18.0's terms (ir_cron.py CompletionStatus); 16.0/17.0 know only done or failed. */
    public enum Status { RUNNING, FULLY_DONE, PARTIALLY_DONE, FAILED }

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Status status = Status.RUNNING;
    private volatile int mailsProcessed;

    void finish(Status outcome, int processed) {
        this.mailsProcessed = processed;
        this.status = outcome;
        finished.countDown();
    }

    public Status status() {
        return status;
    }

    /** Mails the run handed to process_email_queue's sending (sent or failed). */
    public int mailsProcessed() {
        return mailsProcessed;
    }

    public boolean isDone() {
        return finished.getCount() == 0;
    }

    /** Waits for the run to end; false if it did not within {@code timeout} (a stuck run waits for release). */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
