package io.mailwatchdog.alert;

import static io.mailwatchdog.alert.Reports.T0;
import static io.mailwatchdog.alert.Reports.scheduler;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.health.CheckIds;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which reports are news, without any HTTP. */
class TransitionTrackerTest {

    final TransitionTracker tracker = new TransitionTracker(Duration.ofHours(4), UnaryOperator.identity());
    Instant now = T0;

    List<Alert> observe(TargetReport report) {
        return tracker.observe(report, now);
    }

    List<Alert> after(Duration d, TargetReport report) {
        now = now.plus(d);
        return observe(report);
    }

    static List<Alert> changes(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.reason() == Alert.Reason.CHANGE).toList();
    }

    @Test
    void aFirstObservationThatPassesIsSilent() {
        assertThat(observe(scheduler("prod", Status.PASS))).isEmpty();
    }

    @Test
    void aFirstObservationThatWarnsOrFailsAlertsWithNoPreviousStatus() {
        List<Alert> fail = observe(scheduler("prod", Status.FAIL));
        assertThat(fail).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo(CheckIds.SCHEDULER_ACTIVE);
            assertThat(a.status()).isEqualTo(Status.FAIL);
            assertThat(a.previous()).isNull();
            assertThat(a.transition()).isEqualTo("FAIL");
            assertThat(a.detail()).contains("first probe");
        });
        assertThat(observe(scheduler("staging", Status.WARN))).singleElement()
                .satisfies(a -> assertThat(a.transition()).isEqualTo("WARN"));
    }

    @Test
    void eachChangeOfStatusAlertsOnceUpToTheRecovery() {
        observe(scheduler("prod", Status.PASS));
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.WARN))).singleElement()
                .satisfies(a -> assertThat(List.of(a.previous(), a.status())).containsExactly(Status.PASS, Status.WARN));
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL))).singleElement()
                .satisfies(a -> assertThat(a.transition()).isEqualTo("FAIL"));
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.WARN))).singleElement()
                .satisfies(a -> assertThat(List.of(a.previous(), a.status())).containsExactly(Status.FAIL, Status.WARN));
        List<Alert> recovered = after(Duration.ofMinutes(1), scheduler("prod", Status.PASS));
        assertThat(recovered).singleElement().satisfies(a -> {
            assertThat(a.transition()).isEqualTo("recovered");
            assertThat(a.previous()).isEqualTo(Status.WARN);
            assertThat(a.previousSince()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
            assertThat(a.detail()).startsWith("PASS again since").contains("was WARN");
        });
    }

    @Test
    void theSameStatusTwiceSendsNothing() {
        observe(scheduler("prod", Status.FAIL));
        assertThat(after(Duration.ofSeconds(30), scheduler("prod", Status.FAIL))).isEmpty();
        assertThat(after(Duration.ofSeconds(20), scheduler("prod", Status.FAIL))).isEmpty();
    }

    @Test
    void aCheckThatStaysFailingIsRemindedEveryRenotifyIntervalAndNotBefore() {
        observe(scheduler("prod", Status.FAIL));
        assertThat(reminders(after(Duration.ofHours(3).plusMinutes(59), scheduler("prod", Status.FAIL)))).isEmpty();
        assertThat(reminders(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL)))).singleElement()
                .satisfies(a -> {
                    assertThat(a.transition()).isEqualTo("reminder");
                    assertThat(a.since()).isEqualTo(T0);
                    assertThat(a.detail()).startsWith("still FAIL since " + T0 + " (4 h)");
                });
        assertThat(reminders(after(Duration.ofHours(1), scheduler("prod", Status.FAIL)))).isEmpty();
        assertThat(reminders(after(Duration.ofHours(3), scheduler("prod", Status.FAIL)))).hasSize(1);
    }

    @Test
    void aChangeRestartsTheReminderInterval() {
        observe(scheduler("prod", Status.WARN));
        after(Duration.ofHours(3), scheduler("prod", Status.FAIL));
        assertThat(reminders(after(Duration.ofHours(2), scheduler("prod", Status.FAIL)))).isEmpty();
        assertThat(reminders(after(Duration.ofHours(2), scheduler("prod", Status.FAIL)))).hasSize(1);
    }

    @Test
    void alertmanagerKeepAlivesComeAtMostOnceAMinuteWhileFiringAndNeverWhilePassing() {
        observe(scheduler("prod", Status.FAIL));
        assertThat(refreshes(after(Duration.ofSeconds(30), scheduler("prod", Status.FAIL)))).isEmpty();
        assertThat(refreshes(after(Duration.ofSeconds(30), scheduler("prod", Status.FAIL)))).hasSize(1);
        assertThat(refreshes(after(Duration.ofSeconds(60), scheduler("prod", Status.FAIL)))).hasSize(1);
        after(Duration.ofSeconds(60), scheduler("prod", Status.PASS));
        assertThat(after(Duration.ofSeconds(60), scheduler("prod", Status.PASS))).isEmpty();
    }

    @Test
    void aFiringAlertStaysValidForFourProbeIntervalsAndAnHourBeforeTheIntervalIsKnown() {
        assertThat(observe(scheduler("prod", Status.FAIL)).get(0).validity()).isEqualTo(Duration.ofHours(1));
        assertThat(refreshes(after(Duration.ofMinutes(10), scheduler("prod", Status.FAIL))).get(0).validity())
                .isEqualTo(Duration.ofMinutes(40));
        assertThat(refreshes(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL))).get(0).validity())
                .isEqualTo(TransitionTracker.MIN_VALIDITY);
    }

    @Test
    void unknownIsNoVerdictSoItNeitherAlertsNorClearsAndTheLastStatusStays() {
        observe(scheduler("prod", Status.FAIL));
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.UNKNOWN))).isEmpty();
        assertThat(changes(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL)))).isEmpty();
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.UNKNOWN))).isEmpty();
        assertThat(changes(after(Duration.ofMinutes(1), scheduler("prod", Status.PASS)))).singleElement()
                .satisfies(a -> assertThat(List.of(a.previous(), a.status())).containsExactly(Status.FAIL, Status.PASS));
        assertThat(observe(scheduler("new", Status.UNKNOWN))).isEmpty();
    }

    @Test
    void checksMissingWhileOdooIsUnreachableKeepTheirStatus() {
        observe(scheduler("prod", Status.FAIL));
        List<Alert> down = after(Duration.ofMinutes(1), Reports.failed("prod", "unreachable", "connection refused"));
        assertThat(changes(down)).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo(CheckIds.ODOO_REACHABLE);
            assertThat(a.status()).isEqualTo(Status.FAIL);
        });
        // back, the scheduler still inactive: only odoo.reachable recovers
        List<Alert> back = changes(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL)));
        assertThat(back).singleElement().satisfies(a -> {
            assertThat(a.check()).isEqualTo(CheckIds.ODOO_REACHABLE);
            assertThat(a.transition()).isEqualTo("recovered");
        });
    }

    @Test
    void targetsAreTrackedApart() {
        observe(scheduler("prod", Status.FAIL));
        assertThat(observe(scheduler("staging", Status.FAIL))).singleElement()
                .satisfies(a -> assertThat(a.target()).isEqualTo("staging"));
    }

    @Test
    void aForgottenTargetStartsAfreshWhenItComesBack() {
        observe(scheduler("prod", Status.FAIL));
        tracker.forget("prod");
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.FAIL))).singleElement()
                .satisfies(a -> assertThat(a.previous()).isNull());
        tracker.forget("prod");
        assertThat(after(Duration.ofMinutes(1), scheduler("prod", Status.PASS))).isEmpty();
    }

    @Test
    void everyTextOfAnAlertIsRedacted() {
        TransitionTracker redacting = new TransitionTracker(Duration.ofHours(4), s -> s.replace("inactive", "*****"));
        Alert a = redacting.observe(scheduler("prod", Status.FAIL), now).get(0);
        assertThat(a.summary()).doesNotContain("inactive").contains("*****");
        assertThat(a.detail()).doesNotContain("inactive");
    }

    static List<Alert> reminders(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.reason() == Alert.Reason.REMINDER).toList();
    }

    static List<Alert> refreshes(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.reason() == Alert.Reason.REFRESH).toList();
    }
}
