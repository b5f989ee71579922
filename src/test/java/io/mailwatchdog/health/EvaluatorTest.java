package io.mailwatchdog.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.Thresholds;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.DatabaseSnapshot;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that turn a Snapshot into findings, without any server. */
class EvaluatorTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Thresholds T = new Thresholds(Duration.ofMinutes(15), Duration.ofMinutes(60), Duration.ofMinutes(10),
            Duration.ofMinutes(60), 1, 50, 1, 3);

    static QueueSnapshot queue(int due, long oldestAge, int lastHour, List<FailureSignatureGroup> signatures) {
        return new QueueSnapshot(new MailStateCounts(Map.of("outgoing", due, "exception", lastHour)), due,
                due > 0 ? 7 : null, oldestAge, List.of(), lastHour, lastHour, signatures.size(), 200, signatures);
    }

    static SchedulerSnapshot cron(boolean active, long overdue, Integer numbercall, Integer failures) {
        return new SchedulerSnapshot(true, 3, "Mail: Email Queue Manager", active, NOW.minusSeconds(overdue),
                NOW.minusSeconds(3600), "1 hours", 3600, numbercall, failures, failures == null || failures == 0 ? null
                : NOW.minus(Duration.ofDays(2)), overdue);
    }

    static ServerSnapshot server(String outcome, String cls) {
        return new ServerSnapshot(1, "smtp", "smtp.example.com", 587, "u", "starttls", 10, null,
                new ServerSnapshot.SmtpTest(outcome, cls, outcome + " detail", NOW, null));
    }

    static Snapshot snapshot(QueueSnapshot q, SchedulerSnapshot c, List<ServerSnapshot> servers, boolean neutralized,
                             List<String> pending) {
        return new Snapshot("prod", NOW, Duration.ofMillis(80), 11, "18.0", null, q, c, servers,
                new DatabaseSnapshot(neutralized, pending), List.of());
    }

    static Snapshot healthy() {
        return snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 0), List.of(server("PASS", null)), false, List.of());
    }

    static Finding finding(TargetReport r, String check) {
        return r.findings().stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void aHealthyTargetPassesEveryCheckAndEveryRequiredCheckIsPresent() {
        TargetReport r = Evaluator.evaluate(healthy(), T);
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.findings()).extracting(Finding::check).containsExactlyInAnyOrderElementsOf(CheckIds.ALL);
        assertThat(r.findings()).allMatch(f -> f.hint() == null);
    }

    @Test
    void anInactiveSchedulerFailsWithTheRunbookHint() {
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), cron(false, 0, null, 0), List.of(server("PASS", null)), false, List.of());
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(finding(r, CheckIds.SCHEDULER_ACTIVE).hint()).contains("re-enable the Mail: Email Queue Manager cron");
    }

    @Test
    void numbercallZeroOnOdoo16IsAsDeadAsInactive() {
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), cron(true, 0, 0, null), List.of(server("PASS", null)), false, List.of());
        assertThat(finding(Evaluator.evaluate(s, T), CheckIds.SCHEDULER_ACTIVE).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void overdueIsJudgedAgainstTheGraceNotTheInterval() {
        Status within = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 9 * 60, null, 0),
                List.of(), false, List.of()), T), CheckIds.SCHEDULER_ON_TIME).status();
        Status warn = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 11 * 60, null, 0),
                List.of(), false, List.of()), T), CheckIds.SCHEDULER_ON_TIME).status();
        Finding fail = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 2 * 3600, null, 0),
                List.of(), false, List.of()), T), CheckIds.SCHEDULER_ON_TIME);
        assertThat(within).isEqualTo(Status.PASS);
        assertThat(warn).isEqualTo(Status.WARN);
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.summary()).contains("overdue by 2 h");
        assertThat(fail.hint()).contains("max_cron_threads");
    }

    @Test
    void anOverdueCronWithModulesWaitingPointsAtTheUpgrade() {
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), cron(true, 2 * 3600, null, 0), List.of(), false,
                List.of("sale (to upgrade)"));
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(finding(r, CheckIds.SCHEDULER_ON_TIME).hint()).contains("upgrade");
        assertThat(finding(r, CheckIds.MODULES_PENDING).status()).isEqualTo(Status.WARN);
    }

    @Test
    void consecutiveCronFailuresWarnThenFail() {
        assertThat(finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 1), List.of(),
                false, List.of()), T), CheckIds.SCHEDULER_FAILURES).status()).isEqualTo(Status.WARN);
        Finding fail = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 4), List.of(),
                false, List.of()), T), CheckIds.SCHEDULER_FAILURES);
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.summary()).contains("4 time(s) in a row since");
    }

    @Test
    void theOldestDueMailWarnsAt15MinutesAndFailsAtAnHour() {
        assertThat(finding(Evaluator.evaluate(snapshot(queue(3, 14 * 60, 0, List.of()), cron(true, 0, null, 0),
                List.of(), false, List.of()), T), CheckIds.QUEUE_OLDEST_OUTGOING).status()).isEqualTo(Status.PASS);
        assertThat(finding(Evaluator.evaluate(snapshot(queue(3, 15 * 60, 0, List.of()), cron(true, 0, null, 0),
                List.of(), false, List.of()), T), CheckIds.QUEUE_OLDEST_OUTGOING).status()).isEqualTo(Status.WARN);
        Finding fail = finding(Evaluator.evaluate(snapshot(queue(3, 3 * 3600, 0, List.of()), cron(true, 0, null, 0),
                List.of(), false, List.of()), T), CheckIds.QUEUE_OLDEST_OUTGOING);
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.summary()).isEqualTo("3 due outgoing mail, the oldest waiting 3 h");
    }

    @Test
    void exceptionsInTheLastHourCarryTheHintOfTheirMostCommonClass() {
        FailureSignatureGroup auth = new FailureSignatureGroup("535 b'5.7.8 Username and Password not accepted'",
                FailureClass.AUTH, 12, NOW.minusSeconds(600), NOW, List.of(1, 2));
        Finding f = finding(Evaluator.evaluate(snapshot(queue(0, 0, 12, List.of(auth)), cron(true, 0, null, 0),
                List.of(), false, List.of()), T), CheckIds.QUEUE_EXCEPTIONS);
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.summary()).contains("12 mail(s) failed in the last hour").contains("AUTH");
        assertThat(f.hint()).contains("fix the outgoing server's credentials, then retry");
        assertThat(finding(Evaluator.evaluate(snapshot(queue(0, 0, 50, List.of(auth)), cron(true, 0, null, 0),
                List.of(), false, List.of()), T), CheckIds.QUEUE_EXCEPTIONS).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void noMailServerIsAWarningNotAFailure() {
        TargetReport r = Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 0), List.of(),
                false, List.of()), T);
        assertThat(finding(r, CheckIds.SMTP_SERVERS_CONFIGURED).status()).isEqualTo(Status.WARN);
        assertThat(finding(r, CheckIds.SMTP_SERVERS_CONFIGURED).summary()).contains("config file");
        assertThat(r.status()).isEqualTo(Status.WARN);
    }

    @Test
    void aRefusedSmtpLoginFailsWithTheCredentialsHint() {
        Finding f = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 0),
                List.of(server("FAIL", "AUTH")), false, List.of()), T), CheckIds.SMTP_SERVER_TEST);
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.hint()).isEqualTo("the SMTP server refuses the login: fix the outgoing server's credentials, then retry");
    }

    @Test
    void anInconclusiveSmtpTestIsAWarningThatSaysNoVerdict() {
        Finding f = finding(Evaluator.evaluate(snapshot(queue(0, 0, 0, List.of()), cron(true, 0, null, 0),
                List.of(server("INCONCLUSIVE", "RECIPIENT")), false, List.of()), T), CheckIds.SMTP_SERVER_TEST);
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.summary()).contains("no verdict");
    }

    @Test
    void aNeutralizedDatabasePassesTheMailChecksWithANote() {
        Snapshot s = snapshot(queue(40, 5 * 86_400, 3, List.of()), cron(false, 0, null, 0), List.of(), true, List.of());
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(finding(r, CheckIds.DATABASE_NEUTRALIZED).summary()).contains("neutralized");
        assertThat(finding(r, CheckIds.SCHEDULER_ACTIVE).summary()).contains("neutralized");
        assertThat(finding(r, CheckIds.QUEUE_OLDEST_OUTGOING).summary()).contains("neutralized");
    }

    @Test
    void aRefusedLoginFailsLoginButOdooIsReachable() {
        Snapshot s = new Snapshot("prod", NOW, Duration.ZERO, 2, "18.0",
                new ProbeFailure("login-refused", "Odoo refused the login of 'bot'"), null, null, List.of(), null, List.of());
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(finding(r, CheckIds.ODOO_REACHABLE).status()).isEqualTo(Status.PASS);
        assertThat(finding(r, CheckIds.ODOO_LOGIN).hint()).contains("--unpark").contains("API key");
    }

    @Test
    void aRunOutOfTimeIsUnknownNotFail() {
        Snapshot s = new Snapshot("prod", NOW, Duration.ZERO, 0, null, new ProbeFailure("deadline", "too slow"), null,
                null, List.of(), null, List.of());
        assertThat(Evaluator.evaluate(s, T).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void anUnreachableOdooFails() {
        Snapshot s = new Snapshot("prod", NOW, Duration.ZERO, 1, null,
                new ProbeFailure("unreachable", "cannot connect"), null, null, List.of(), null, List.of());
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(finding(r, CheckIds.ODOO_REACHABLE).hint()).contains("url");
    }

    @Test
    void aMissingSchedulerCronIsOneFailNotAnUnknownRun() {
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), SchedulerSnapshot.missing(), List.of(server("PASS", null)),
                false, List.of());
        TargetReport r = Evaluator.evaluate(s, T);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.status().exitCode()).isEqualTo(2);
        assertThat(r.findings()).filteredOn(f -> f.status() != Status.PASS).extracting(Finding::check)
                .containsExactly(CheckIds.SCHEDULER_ACTIVE);
    }

    @Test
    void aKnownFailureOutranksAnUnknownButAnUnknownOutranksAWarning() {
        assertThat(Status.worst(Status.UNKNOWN, Status.FAIL)).isEqualTo(Status.FAIL);
        assertThat(Status.worst(Status.FAIL, Status.UNKNOWN)).isEqualTo(Status.FAIL);
        assertThat(Status.worst(Status.WARN, Status.UNKNOWN)).isEqualTo(Status.UNKNOWN);
        assertThat(Status.worst(Status.PASS, Status.WARN)).isEqualTo(Status.WARN);
    }

    @Test
    void aCronHeldByALiveWatchdogShowsAsHeldNeverAsInactive() {
        SchedulerSnapshot held = cron(false, 0, null, 0).withHold(new SchedulerSnapshot.Hold("abc/daemon", NOW, true, 100, false));
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), held, List.of(server("PASS", null)), false, List.of());
        Finding f = finding(Evaluator.evaluate(s, T), CheckIds.SCHEDULER_ACTIVE);
        assertThat(f.status()).isEqualTo(Status.PASS);
        assertThat(f.summary()).startsWith("held by the watchdog since " + NOW).doesNotContain("inactive");
    }

    @Test
    void aStaleHoldWarnsThatTheNextLockHolderRestoresIt() {
        SchedulerSnapshot held = cron(false, 0, null, 0).withHold(new SchedulerSnapshot.Hold("abc/daemon", NOW, true, 100, true));
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), held, List.of(server("PASS", null)), false, List.of());
        Finding f = finding(Evaluator.evaluate(s, T), CheckIds.SCHEDULER_ACTIVE);
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.summary()).contains("lease expired");
    }

    @Test
    void aRunInProgressLongerThanStuckAfterFailsAndAShorterOnePasses() {
        SchedulerSnapshot running = cron(true, 0, null, 0).withRunningSince(NOW.minus(Duration.ofMinutes(31)));
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), running, List.of(server("PASS", null)), false, List.of());
        assertThat(finding(Evaluator.evaluate(s, T, Duration.ofMinutes(30)), CheckIds.SCHEDULER_STUCK).status())
                .isEqualTo(Status.FAIL);
        assertThat(finding(Evaluator.evaluate(s, T, Duration.ofMinutes(45)), CheckIds.SCHEDULER_STUCK).status())
                .isEqualTo(Status.PASS);
    }

    @Test
    void aStuckRunIsNotJudgedOn16And17WhichDoNotRecordRuns() {
        Snapshot s = snapshot(queue(0, 0, 0, List.of()), cron(true, 0, -1, null), List.of(server("PASS", null)), false, List.of());
        Finding f = finding(Evaluator.evaluate(s, T), CheckIds.SCHEDULER_STUCK);
        assertThat(f.status()).isEqualTo(Status.PASS);
        assertThat(f.summary()).contains("18.0+");
    }
}
