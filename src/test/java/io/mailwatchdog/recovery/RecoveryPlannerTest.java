package io.mailwatchdog.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.DatabaseSnapshot;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy of what the daemon writes, as a pure function of a snapshot and the settings. */
class RecoveryPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String ME = "11111111-1111-1111-1111-111111111111/daemon";

    @TempDir
    Path dir;

    TargetSettings target(String extra) throws Exception {
        Path file = dir.resolve("w.conf");
        Files.writeString(file, "state-dir = \"" + dir.resolve("state") + "\"\n" + extra + "\n"
                + "targets = [ { name = prod, url = \"http://127.0.0.1:8069\", database = db, login = a, password = pw } ]\n");
        Settings s = SettingsLoader.load(Optional.of(file), Map.of());
        return s.targets().get(0);
    }

    static SchedulerSnapshot cron(boolean active, Integer numbercall) {
        return new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", active, NOW.minusSeconds(60), NOW.minusSeconds(3600),
                "1 hours", 3600, numbercall, numbercall == null ? 0 : null, null, 60);
    }

    static QueueSnapshot queue(int due, long oldestAgeSeconds) {
        return new QueueSnapshot(new MailStateCounts(Map.of("outgoing", due)), due, due > 0 ? 7 : null, oldestAgeSeconds,
                List.of(), 0, 0, 0, 200, List.of());
    }

    static ServerSnapshot server(String outcome) {
        return new ServerSnapshot(1, "smtp", "smtp.example.com", 587, "u", "starttls", 10, null,
                new ServerSnapshot.SmtpTest(outcome, "FAIL".equals(outcome) ? "AUTH" : null, "", NOW, null));
    }

    static Snapshot snapshot(SchedulerSnapshot cron, QueueSnapshot queue, String smtp, boolean neutralized, List<String> pending) {
        return new Snapshot("prod", NOW, Duration.ofMillis(50), 13, "18.0", null, queue, cron, List.of(server(smtp)),
                new DatabaseSnapshot(neutralized, pending), List.of());
    }

    static List<PlannedAction.Kind> kinds(Plan p) {
        return p.actions().stream().map(PlannedAction::kind).toList();
    }

    @Test
    void anInactiveCronWithABacklogIsRevivedThenFlushed() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(false, null), queue(40, 3600), "PASS", false, List.of()), target(""), ME);
        assertThat(p.writes()).isTrue();
        assertThat(kinds(p)).containsExactly(PlannedAction.Kind.REVIVE_CRON, PlannedAction.Kind.FLUSH_QUEUE);
    }

    @Test
    void numbercallZeroOn16IsRevivedAlthoughTheCronIsActive() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(true, 0), queue(0, 0), "PASS", false, List.of()), target(""), ME);
        assertThat(kinds(p)).containsExactly(PlannedAction.Kind.REVIVE_CRON);
        assertThat(p.actions().get(0).reason()).contains("numbercall");
    }

    @Test
    void mailDueForLessThanFlushAfterIsLeftToOdoo() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(true, null), queue(3, 299), "PASS", false, List.of()), target(""), ME);
        assertThat(p.actions()).isEmpty();
        Plan later = RecoveryPlanner.plan(snapshot(cron(true, null), queue(3, 301), "PASS", false, List.of()), target(""), ME);
        assertThat(kinds(later)).containsExactly(PlannedAction.Kind.FLUSH_QUEUE);
    }

    @Test
    void aFailedSmtpTestStopsTheFlushAndSaysWhy() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(true, null), queue(9, 3600), "FAIL", false, List.of()), target(""), ME);
        assertThat(p.actions()).isEmpty();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("latest SMTP test") && s.contains("smtp"));
    }

    @Test
    void observeModeShowsTheActionsButWritesNothing() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(false, null), queue(40, 3600), "PASS", false, List.of()),
                target("mode = observe"), ME);
        assertThat(kinds(p)).containsExactly(PlannedAction.Kind.REVIVE_CRON, PlannedAction.Kind.FLUSH_QUEUE);
        assertThat(p.writes()).isFalse();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("mode = observe"));
    }

    @Test
    void aNeutralizedDatabaseOrPendingModulesAreNeverActedOn() throws Exception {
        Plan neutralized = RecoveryPlanner.plan(snapshot(cron(false, null), queue(40, 3600), "PASS", true, List.of()), target(""), ME);
        Plan pending = RecoveryPlanner.plan(snapshot(cron(false, null), queue(40, 3600), "PASS", false, List.of("sale")),
                target(""), ME);
        assertThat(neutralized.writes()).isFalse();
        assertThat(neutralized.actions()).isEmpty();
        assertThat(pending.writes()).isFalse();
        assertThat(pending.leftAlone()).anyMatch(s -> s.contains("sale"));
    }

    @Test
    void disabledRevivingAndFlushingLeaveTheirWorkAloneWithTheKeyThatSaysSo() throws Exception {
        Plan p = RecoveryPlanner.plan(snapshot(cron(false, null), queue(40, 3600), "PASS", false, List.of()),
                target("scheduler-watchdog.enabled = false\nflush.enabled = false"), ME);
        assertThat(p.actions()).isEmpty();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("scheduler-watchdog.enabled = false"))
                .anyMatch(s -> s.contains("flush.enabled = false"));
    }

    @Test
    void aCronHeldByAnotherLiveWatchdogIsNeitherRevivedNorFlushed() throws Exception {
        SchedulerSnapshot held = cron(false, null).withHold(new SchedulerSnapshot.Hold("other/daemon", NOW, true, 100, false));
        Plan p = RecoveryPlanner.plan(snapshot(held, queue(40, 3600), "PASS", false, List.of()), target(""), ME);
        assertThat(p.actions()).isEmpty();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("held by other/daemon"));
    }

    @Test
    void aStaleHoldOrOurOwnIsRestoredFirstAndNeverRevivedOverIt() throws Exception {
        SchedulerSnapshot stale = cron(false, null).withHold(new SchedulerSnapshot.Hold("other/daemon", NOW, true, 100, true));
        SchedulerSnapshot mine = cron(false, null).withHold(new SchedulerSnapshot.Hold(ME, NOW, true, 100, false));
        Plan a = RecoveryPlanner.plan(snapshot(stale, queue(40, 3600), "PASS", false, List.of()), target(""), ME);
        Plan b = RecoveryPlanner.plan(snapshot(mine, queue(0, 0), "PASS", false, List.of()), target(""), ME);
        assertThat(kinds(a)).containsExactly(PlannedAction.Kind.RESTORE_HOLD, PlannedAction.Kind.FLUSH_QUEUE);
        assertThat(kinds(b)).containsExactly(PlannedAction.Kind.RESTORE_HOLD);
    }

    @Test
    void nothingIsPlannedWhenOdooWasNotReached() throws Exception {
        Snapshot down = new Snapshot("prod", NOW, Duration.ofMillis(5), 0, null, new ProbeFailure("unreachable", "refused"),
                null, null, List.of(), null, List.of());
        Plan p = RecoveryPlanner.plan(down, target(""), ME);
        assertThat(p.writes()).isFalse();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("unreachable"));
    }

    @Test
    void anOverdueCronIsNotWrittenToButItsDiagnosisIsGivenOnceTheGraceIsPast() throws Exception {
        SchedulerSnapshot overdue = new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", true,
                NOW.minusSeconds(3600), NOW.minusSeconds(7200), "1 hours", 3600, null, 0, null, 3600);
        SchedulerSnapshot late = new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", true,
                NOW.minusSeconds(300), NOW.minusSeconds(7200), "1 hours", 3600, null, 0, null, 300);
        Plan p = RecoveryPlanner.plan(snapshot(overdue, queue(0, 0), "PASS", false, List.of()), target(""), ME);
        Plan q = RecoveryPlanner.plan(snapshot(late, queue(0, 0), "PASS", false, List.of()), target(""), ME);
        assertThat(p.actions()).isEmpty();
        assertThat(p.leftAlone()).anyMatch(s -> s.contains("overdue cron (60 min") && s.contains("no cron worker"));
        assertThat(q.leftAlone()).noneMatch(s -> s.contains("overdue"));
    }
}
