package io.mailwatchdog.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The mail scheduler of one simulated database ({@code mail.ir_cron_mail_scheduler_action}): its
 * {@code ir.cron} row, read and set from Java, and the knobs that make its runs misbehave.
 */
public final class MailCron {

    private final SimulatedDatabase db;
    private final int id;
    /** The row lock a running job holds (SELECT … FOR NO KEY UPDATE); writes try it NOWAIT. */
    private final Semaphore rowLock = new Semaphore(1);
    private volatile CountDownLatch stuck;
    private volatile boolean failing;

    MailCron(SimulatedDatabase db, int id) {
        this.db = db;
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean active() {
        return Boolean.TRUE.equals(get("active"));
    }

    public Instant nextcall() {
        return (Instant) get("nextcall");
    }

    public Instant lastcall() {
        return (Instant) get("lastcall");
    }

    /** 16.0/17.0 only; null on 18.0+. */
    public Integer numbercall() {
        return db.profile().hasNumbercall() ? (Integer) get("numbercall") : null;
    }

    /** 18.0+ only; null before. */
    public Integer failureCount() {
        return db.profile().hasFailureCount() ? (Integer) get("failure_count") : null;
    }

    public Instant firstFailureDate() {
        return (Instant) get("first_failure_date");
    }

    public MailCron active(boolean active) {
        return set("active", active);
    }

    public MailCron nextcall(Instant nextcall) {
        return set("nextcall", OdooDatetimes.stored(nextcall));
    }

    public MailCron lastcall(Instant lastcall) {
        return set("lastcall", lastcall == null ? null : OdooDatetimes.stored(lastcall));
    }

    /** @throws IllegalStateException on 18.0+, which have no numbercall */
    public MailCron numbercall(int numbercall) {
        if (!db.profile().hasNumbercall()) {
            throw new IllegalStateException("Odoo " + db.version() + " has no numbercall");
        }
        return set("numbercall", numbercall);
    }

    /** @param type minutes, hours, days, weeks or months */
    public MailCron interval(int number, String type) {
        set("interval_number", number);
        return set("interval_type", type);
    }

    /** Seeds consecutive failures (18.0+), e.g. a cron about to be deactivated. */
    public MailCron failures(int count, Instant firstFailure) {
        if (!db.profile().hasFailureCount()) {
            throw new IllegalStateException("Odoo " + db.version() + " does not count cron failures");
        }
        set("failure_count", count);
        return set("first_failure_date", firstFailure == null ? null : OdooDatetimes.stored(firstFailure));
    }

    /** While stuck, a run that starts hangs (holding the row lock) until {@link #release()}. */
    public MailCron stuck(boolean on) {
        if (on) {
            if (stuck == null) {
                stuck = new CountDownLatch(1);
            }
        } else {
            release();
        }
        return this;
    }

    /** Lets hanging runs go on, and later runs start freely. */
    public void release() {
        CountDownLatch gate = stuck;
        stuck = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** While failing, every run's server action raises: 18.0+ count it in failure_count. */
    public MailCron failing(boolean on) {
        this.failing = on;
        return this;
    }

    /** Whether a run holds the cron's row now. */
    public boolean running() {
        return rowLock.availablePermits() == 0;
    }

    boolean failing() {
        return failing;
    }

    void awaitIfStuck() {
        CountDownLatch gate = stuck;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Semaphore rowLock() {
        return rowLock;
    }

    Map<String, Object> row() {
        return db.model("ir.cron").row(id);
    }

    private Object get(String field) {
        synchronized (db.lock) {
            Map<String, Object> row = row();
            return row == null ? null : row.get(field);
        }
    }

    private MailCron set(String field, Object value) {
        synchronized (db.lock) {
            Map<String, Object> row = row();
            if (row == null) {
                throw new IllegalStateException("the mail cron was deleted");
            }
            row.put(field, value);
        }
        return this;
    }
}
