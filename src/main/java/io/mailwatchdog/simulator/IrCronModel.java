package io.mailwatchdog.simulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code ir.cron}: {@code write} and {@code unlink} try the row lock NOWAIT and answer Odoo's locked
 * fault while a run holds it ({@code _try_lock}); {@code method_direct_trigger} runs the job inside the
 * call (16.0–18.0 check the lock, then their first commit releases it; 19.0 runs it as the scheduler does).
 */
final class IrCronModel extends OrmModel {

    IrCronModel(SimulatedDatabase db) {
        super(db, Schemas.irCron(db.profile()), 1);
        recordMethod("method_direct_trigger", PySignature.of("IrCron.method_direct_trigger"), (ids, a, ctx) -> {
            if (version.major >= 19 && ids.size() != 1) {
                throw RpcFault.valueError(version, "Expected singleton: ir.cron" + ids.toString()
                        .replace('[', '(').replace(']', ')'));
            }
            for (Integer id : ids) {
                trigger(id);
            }
            return Boolean.TRUE;
        });
    }

    private void trigger(int id) {
        MailCron cron = db.mailCron();
        if (id != cron.id()) {
            synchronized (db.lock) {
                Map<String, Object> row = row(id);
                if (row == null) {
                    throw RpcFault.missingRecord(schema.name, id, db.uid());
                }
                row.put("lastcall", OdooDatetimes.stored(db.clock().instant()));
            }
            return;
        }
        Semaphore lock = cron.rowLock();
        if (!lock.tryAcquire()) {
            throw RpcFault.userError(version.major >= 19
                    ? "Job '" + cronName(cron) + "' already executing" : RpcFault.LOCKED_CRON);
        }
        if (version.major >= 19) {
            try {
                db.cronWorker().runJob();
            } finally {
                lock.release();
            }
            return;
        }
        lock.release(); // the job's first commit inside process_email_queue drops the row lock
        if (version.hasCronProgress()) {
            db.addCronProgress(cron.id());
        }
        if (!cron.failing()) {
            db.mailQueue().process(null, version.queueDefaultBatch());
        }
        synchronized (db.lock) {
            Map<String, Object> row = row(id);
            if (row != null) {
                row.put("lastcall", OdooDatetimes.stored(db.clock().instant()));
            }
        }
    }

    private String cronName(MailCron cron) {
        synchronized (db.lock) {
            Map<String, Object> row = row(cron.id());
            return row == null ? "" : String.valueOf(row.get("cron_name"));
        }
    }

    @Override
    void write(List<Integer> ids, Map<String, Object> vals) {
        withRowLock(ids, () -> super.write(ids, vals));
    }

    @Override
    void unlink(List<Integer> ids) {
        withRowLock(ids, () -> super.unlink(ids));
    }

    private void withRowLock(List<Integer> ids, Runnable change) {
        Semaphore lock = ids.contains(db.mailCron().id()) ? db.mailCron().rowLock() : null;
        if (lock != null && !lock.tryAcquire()) {
            throw RpcFault.userError(RpcFault.LOCKED_CRON);
        }
        try {
            change.run();
        } finally {
            if (lock != null) {
                lock.release();
            }
        }
    }
}
