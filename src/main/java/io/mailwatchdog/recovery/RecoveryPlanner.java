package io.mailwatchdog.recovery;

import io.mailwatchdog.config.Mode;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Policy: from what is true now (a Snapshot) and the target's settings, what the daemon may write.
 * A pure function: no server, no clock but the snapshot's, unit-tested alone.
 *
 * <ul>
 *   <li>Nothing is written in observe mode, on a neutralized database (a staging copy: mail is off on
 *       purpose), while modules wait for an upgrade, or when Odoo was not reached.</li>
 *   <li>A hold by this watchdog, or a stale one by any, is restored first.</li>
 *   <li>An inactive cron (or numbercall 0 on 16.0/17.0) is revived, unless a live watchdog holds it.</li>
 *   <li>Mail due for longer than flush.after is flushed, unless the latest SMTP test failed: the
 *       mails would only become exceptions.</li>
 * </ul>
 */
public final class RecoveryPlanner {

    private RecoveryPlanner() {
    }

    /** @param owner this watchdog's lock owner id, to tell its own hold from another's */
    public static Plan plan(Snapshot s, TargetSettings t, String owner) {
        List<PlannedAction> actions = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        if (!s.reached()) {
            leftAlone.add("nothing: Odoo was not reached (" + s.failure().kind() + ")");
            return new Plan(t.name(), false, actions, leftAlone);
        }
        boolean act = t.mode() == Mode.ACT;
        if (!act) {
            leftAlone.add("every write: mode = observe");
        }
        if (s.database() != null && s.database().neutralized()) {
            leftAlone.add("everything: the database is neutralized (mail is off on purpose)");
            return new Plan(t.name(), false, List.of(), leftAlone);
        }
        if (s.database() != null && !s.database().modulesPending().isEmpty()) {
            leftAlone.add("everything: modules wait for an upgrade " + s.database().modulesPending());
            return new Plan(t.name(), false, List.of(), leftAlone);
        }
        SchedulerSnapshot cron = s.scheduler();
        SchedulerSnapshot.Hold hold = cron == null ? null : cron.hold();
        boolean heldByOther = hold != null && !hold.stale() && !hold.owner().equals(owner);
        if (hold != null && !heldByOther) {
            actions.add(new PlannedAction(PlannedAction.Kind.RESTORE_HOLD, CheckIds.SCHEDULER_ACTIVE,
                    hold.owner().equals(owner) ? "this watchdog's own hold from an earlier run"
                            : "the hold of " + hold.owner() + " is stale (lease expired)"));
        }
        if (heldByOther) {
            leftAlone.add("the cron and the queue: held by " + hold.owner() + " since " + hold.since());
            return new Plan(t.name(), act, actions, leftAlone);
        }
        revive(cron, t, actions, leftAlone);
        flush(s, t, actions, leftAlone);
        return new Plan(t.name(), act, actions, leftAlone);
    }

    private static void revive(SchedulerSnapshot cron, TargetSettings t, List<PlannedAction> actions, List<String> leftAlone) {
        if (cron == null || !cron.found()) {
            leftAlone.add("the cron: mail.ir_cron_mail_scheduler_action does not exist (update the mail module)");
            return;
        }
        boolean exhausted = cron.numbercall() != null && cron.numbercall() == 0;
        if (cron.active() && !exhausted) {
            if (cron.overdueSeconds() > t.schedulerWatchdog().overdueGrace().toSeconds()) {
                leftAlone.add("the overdue cron (" + cron.overdueSeconds() / 60 + " min past nextcall): no write helps,"
                        + " no cron worker picks it up (max_cron_threads = 0, busy workers, modules waiting for an"
                        + " upgrade, or Odoo is down); the flush keeps the queue moving");
            }
            return;
        }
        if (cron.hold() != null) {
            return; // restoring the hold puts back the prior state
        }
        if (!t.schedulerWatchdog().enabled()) {
            leftAlone.add("the inactive cron: scheduler-watchdog.enabled = false");
            return;
        }
        actions.add(new PlannedAction(PlannedAction.Kind.REVIVE_CRON, CheckIds.SCHEDULER_ACTIVE,
                exhausted ? "numbercall reached 0: Odoo no longer runs the cron" : "the mail scheduler cron is inactive"));
    }

    private static void flush(Snapshot s, TargetSettings t, List<PlannedAction> actions, List<String> leftAlone) {
        if (s.queue() == null || s.queue().due() == 0) {
            return;
        }
        Duration age = Duration.ofSeconds(s.queue().oldestDueAgeSeconds());
        if (age.compareTo(t.flush().after()) <= 0) {
            return;
        }
        if (!t.flush().enabled()) {
            leftAlone.add(s.queue().due() + " due mail(s): flush.enabled = false");
            return;
        }
        List<String> failing = s.servers().stream().filter(v -> v.test() != null && "FAIL".equals(v.test().outcome()))
                .map(ServerSnapshot::name).toList();
        if (!failing.isEmpty()) {
            leftAlone.add(s.queue().due() + " due mail(s): the latest SMTP test of " + String.join(", ", failing)
                    + " failed, a flush would only turn them into exceptions");
            return;
        }
        actions.add(new PlannedAction(PlannedAction.Kind.FLUSH_QUEUE, CheckIds.QUEUE_OLDEST_OUTGOING,
                s.queue().due() + " mail(s) due, the oldest for " + age.toSeconds() + " s (flush.after "
                        + t.flush().after().toSeconds() + " s)"));
    }
}
