package io.mailwatchdog.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron worker of one database, reduced to the mail scheduler: a poll finds the job ready
 * (odoo/addons/base/models/ir_cron.py {@code _get_all_ready_jobs}), takes its row lock (SKIP LOCKED)
 * and runs it on a thread of its own, holding the lock for the whole run so that a {@code write} on
 * the cron answers the locked fault meanwhile. 16.0/17.0 run the job once and count {@code numbercall}
 * down; 18.0+ run it in batches with {@code ir.cron.progress} rows and count failures.
 */
final class CronWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CronWorker.class);
    /** ir_cron.py: modules waiting longer than this no longer block the crons (reset_modules_state). */
    private static final Duration MAX_FAIL_TIME = Duration.ofHours(5);
    private static final int MAX_BATCH_PER_CRON_JOB = 10;
    private static final int MIN_FAILURE_COUNT_BEFORE_DEACTIVATION = 5;
    private static final Duration MIN_DELTA_BEFORE_DEACTIVATION = Duration.ofDays(7);

    private final SimulatedDatabase db;
    private final MailCron cron;
    private final ExecutorService runs;
    private final ScheduledExecutorService poller;
    private ScheduledFuture<?> polling;
    private Duration pollPeriod = Duration.ofSeconds(60); // Odoo's cron threads wake every 60 s

    CronWorker(SimulatedDatabase db, MailCron cron, ExecutorService runs, ScheduledExecutorService poller) {
        this.db = db;
        this.cron = cron;
        this.runs = runs;
        this.poller = poller;
    }

    synchronized void enabled(boolean on) {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
        if (on) {
            long millis = Math.max(1, pollPeriod.toMillis());
            polling = poller.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    synchronized boolean enabled() {
        return polling != null;
    }

    synchronized void pollPeriod(Duration period) {
        boolean on = polling != null;
        this.pollPeriod = period;
        if (on) {
            enabled(true);
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("{}: cron poll failed: {}", db.name(), e.toString());
        }
    }

    /** One worker's poll: starts a run when the mail cron is ready and not locked. */
    Optional<CronRun> poll() {
        if (!ready()) {
            return Optional.empty();
        }
        if (!cron.rowLock().tryAcquire()) {
            return Optional.empty(); // SKIP LOCKED: running already, or a write holds the row
        }
        CronRun run = new CronRun();
        try {
            runs.execute(() -> {
                Outcome outcome = new Outcome(CronRun.Status.FAILED, 0);
                try {
                    outcome = runJob();
                } catch (RuntimeException e) {
                    LOG.warn("{}: the simulated mail cron crashed: {}", db.name(), e.toString());
                } finally {
                    cron.rowLock().release();
                }
                run.finish(outcome.status(), outcome.processed()); // once the row is free: a test may poll again at once
            });
        } catch (RuntimeException rejected) {
            cron.rowLock().release();
            throw rejected;
        }
        return Optional.of(run);
    }

    private boolean ready() {
        synchronized (db.lock) {
            Map<String, Object> row = cron.row();
            if (row == null || !Boolean.TRUE.equals(row.get("active"))) {
                return false;
            }
            if (db.profile().hasNumbercall() && Integer.valueOf(0).equals(row.get("numbercall"))) {
                return false;
            }
            Instant now = db.clock().instant();
            Instant nextcall = (Instant) row.get("nextcall");
            if (nextcall == null || nextcall.isAfter(now)) {
                return false;
            }
            if (db.hasPendingModules()) {
                // _check_modules_state: blocked, until the oldest job waited MAX_FAIL_TIME; then states are reset.
                if (Duration.between(nextcall, now).compareTo(MAX_FAIL_TIME) < 0) {
                    return false;
                }
                db.resetPendingModules();
            }
            return true;
        }
    }

    /** How a run ended. */
    record Outcome(CronRun.Status status, int processed) {
    }

    /** Runs the job on the calling thread, the row lock being held by the caller. */
    Outcome runJob() {
        cron.awaitIfStuck();
        return db.profile().hasFailureCount() ? runBatched() : runOnce();
    }

    /** 16.0/17.0 {@code _process_job}: missed calls skipped (doall False), numbercall counted down. */
    private Outcome runOnce() {
        Instant now = db.clock().instant();
        int processed = 0;
        boolean failed = cron.failing();
        if (!failed) {
            processed = db.mailQueue().process(null, db.profile().queueDefaultBatch()).done();
        }
        synchronized (db.lock) {
            Map<String, Object> row = cron.row();
            if (row == null) {
                return new Outcome(CronRun.Status.FAILED, processed);
            }
            Instant nextcall = (Instant) row.get("nextcall");
            int missed = 0;
            while (!nextcall.isAfter(now)) {
                nextcall = plusInterval(nextcall, row);
                missed++;
            }
            int effective = 1;
            int numbercall = row.get("numbercall") instanceof Integer n ? n : -1;
            boolean doall = Boolean.TRUE.equals(row.get("doall"));
            if (missed > 0 && doall) {
                effective = numbercall == -1 ? missed : Math.min(missed, numbercall);
            }
            int left = Math.max(numbercall - effective, -1);
            row.put("nextcall", OdooDatetimes.stored(nextcall));
            row.put("numbercall", left);
            row.put("lastcall", OdooDatetimes.stored(now));
            row.put("active", Boolean.TRUE.equals(row.get("active")) && left != 0);
        }
        return new Outcome(failed ? CronRun.Status.FAILED : CronRun.Status.FULLY_DONE, processed);
    }

    /** 18.0+ {@code _run_job}: progress rows, up to 10 batches while work remains, failure counting. */
    private Outcome runBatched() {
        CronRun.Status status = CronRun.Status.FULLY_DONE;
        int processed = 0;
        for (int i = 0; i < MAX_BATCH_PER_CRON_JOB; i++) {
            int progressId = addProgress();
            if (cron.failing()) {
                status = CronRun.Status.FAILED;
            } else {
                MailQueue.Flush flush = db.mailQueue().process(null, db.profile().queueDefaultBatch());
                processed += flush.done();
                if (flush.done() > 0) {
                    updateProgress(progressId, flush.done(), flush.remaining());
                }
                status = flush.remaining() == 0 || flush.done() == 0 ? CronRun.Status.FULLY_DONE
                        : CronRun.Status.PARTIALLY_DONE;
            }
            synchronized (db.lock) {
                Map<String, Object> progress = db.model("ir.cron.progress").row(progressId);
                if (progress != null) {
                    progress.put("timed_out_counter", 0);
                }
            }
            if (status != CronRun.Status.PARTIALLY_DONE) {
                break;
            }
        }
        synchronized (db.lock) {
            Map<String, Object> row = cron.row();
            if (row != null) {
                Instant now = db.clock().instant();
                updateFailureCount(row, status, now);
                if (status != CronRun.Status.PARTIALLY_DONE) {
                    Instant nextcall = (Instant) row.get("nextcall");
                    while (!nextcall.isAfter(now)) {
                        nextcall = plusInterval(nextcall, row);
                    }
                    row.put("nextcall", OdooDatetimes.stored(nextcall));
                    row.put("lastcall", OdooDatetimes.stored(now)); // 18.0 sets it after a failed run too
                }
            }
        }
        return new Outcome(status, processed);
    }

    private int addProgress() {
        synchronized (db.lock) {
            OrmModel progress = db.model("ir.cron.progress");
            int timedOut = 0;
            for (Map<String, Object> p : progress.allRows()) {
                if (Integer.valueOf(cron.id()).equals(p.get("cron_id"))) {
                    timedOut = p.get("timed_out_counter") instanceof Integer n ? n : 0;
                }
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("cron_id", cron.id());
            values.put("remaining", 0);
            values.put("done", 0);
            values.put("deactivate", false);
            values.put("timed_out_counter", timedOut + 1); // counts this run in advance, as _add_progress does
            return progress.insert(values);
        }
    }

    private void updateProgress(int progressId, int done, int remaining) {
        synchronized (db.lock) {
            Map<String, Object> p = db.model("ir.cron.progress").row(progressId);
            if (p != null) {
                p.put("done", done);
                p.put("remaining", remaining);
                p.put("write_date", OdooDatetimes.stored(db.clock().instant()));
            }
        }
    }

    /** ir_cron.py {@code _update_failure_count}: reset on success, deactivate after 5 failures over 7 days. */
    private static void updateFailureCount(Map<String, Object> row, CronRun.Status status, Instant now) {
        if (status != CronRun.Status.FAILED) {
            row.put("failure_count", 0);
            row.put("first_failure_date", null);
            return;
        }
        int count = (row.get("failure_count") instanceof Integer n ? n : 0) + 1;
        Instant first = row.get("first_failure_date") instanceof Instant f ? f : OdooDatetimes.stored(now);
        if (count >= MIN_FAILURE_COUNT_BEFORE_DEACTIVATION && first.plus(MIN_DELTA_BEFORE_DEACTIVATION).isBefore(now)) {
            row.put("failure_count", 0);
            row.put("first_failure_date", null);
            row.put("active", false);
            return;
        }
        row.put("failure_count", count);
        row.put("first_failure_date", first);
    }

    /** {@code _intervalTypes}: relativedelta, so a month is a calendar month. */
    static Instant plusInterval(Instant at, Map<String, Object> row) {
        int n = row.get("interval_number") instanceof Integer i ? i : 1;
        if (n <= 0) {
            n = 1; // Odoo disables such a job; never loop forever here
        }
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        String type = row.get("interval_type") == null ? "hours" : row.get("interval_type").toString();
        ZonedDateTime next = switch (type) {
            case "minutes" -> t.plusMinutes(n);
            case "days" -> t.plusDays(n);
            case "weeks" -> t.plusWeeks(n);
            case "months" -> t.plusMonths(n);
            default -> t.plusHours(n);
        };
        return next.toInstant();
    }
}
