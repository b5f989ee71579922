package io.mailwatchdog.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.config.StaleSettings;
import io.mailwatchdog.odoo.StaleMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stale policy alone: ages, scheduled mail, batches, purge against cancel, mails linked to no document. */
class StalePlannerTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final StaleSettings POLICY = new StaleSettings(false, Duration.ofDays(7), Duration.ofDays(30), false,
            Duration.ofDays(90), 200, 20);
    static final StaleSettings PURGE = new StaleSettings(false, Duration.ofDays(7), Duration.ofDays(30), true,
            Duration.ofDays(90), 200, 20);

    static StaleMail outgoing(int id, Duration createdAgo, Instant scheduled) {
        return new StaleMail(id, "outgoing", NOW.minus(createdAgo), scheduled, NOW.minus(createdAgo), "res.partner", 7,
                "email", false, List.of());
    }

    static StaleMail exception(int id, Duration failedAgo) {
        return new StaleMail(id, "exception", NOW.minus(failedAgo).minus(Duration.ofDays(1)), null, NOW.minus(failedAgo),
                "account.move", 42, "email", false, List.of(900 + id));
    }

    static StaleMail exceptionWithoutDocument(int id, String model, Integer resId) {
        return new StaleMail(id, "exception", NOW.minus(Duration.ofDays(60)), null, NOW.minus(Duration.ofDays(40)), model,
                resId, "email", false, List.of());
    }

    static List<Integer> ids(StalePlan plan, StalePlan.Kind kind, StalePlan.Action action) {
        return plan.batches().stream().filter(b -> b.kind() == kind && b.action() == action)
                .flatMap(b -> b.ids().stream()).toList();
    }

    @Test
    void outgoingMailDueForLongerThanCancelOutgoingAfterIsCancelled() {
        StalePlan plan = StalePlanner.plan(List.of(outgoing(1, Duration.ofDays(8), null)), POLICY, NOW);

        assertThat(plan.batches()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(StalePlan.Kind.OUTGOING);
            assertThat(b.action()).isEqualTo(StalePlan.Action.CANCEL);
            assertThat(b.ids()).containsExactly(1);
            assertThat(b.reason()).isEqualTo("due for more than 7 d");
        });
        assertThat(plan.outgoing().cancel()).isEqualTo(1);
    }

    @Test
    void outgoingMailDueForLessThanCancelOutgoingAfterIsLeftWithTheReason() {
        StalePlan plan = StalePlanner.plan(List.of(outgoing(1, Duration.ofDays(6), null)), POLICY, NOW);

        assertThat(plan.batches()).isEmpty();
        assertThat(plan.outgoing().candidates()).isEqualTo(1);
        assertThat(plan.outgoing().left()).containsEntry("due for less than 7 d", 1);
    }

    @Test
    void outgoingMailDueForExactlyCancelOutgoingAfterIsNotStaleYet() {
        StalePlan plan = StalePlanner.plan(List.of(outgoing(1, Duration.ofDays(7), null)), POLICY, NOW);

        assertThat(plan.batches()).isEmpty();
    }

    @Test
    void theDueAgeCountsFromTheScheduledDateWhenItIsLaterThanTheCreation() {
        // created 10 days ago but scheduled 2 days ago: due for 2 days only
        StaleMail rescheduled = outgoing(1, Duration.ofDays(10), NOW.minus(Duration.ofDays(2)));
        // created 20 days ago, scheduled 9 days ago: due for 9 days
        StaleMail longDue = outgoing(2, Duration.ofDays(20), NOW.minus(Duration.ofDays(9)));
        // scheduled before it was created (an import): the creation counts
        StaleMail scheduledEarlier = outgoing(3, Duration.ofDays(8), NOW.minus(Duration.ofDays(30)));

        StalePlan plan = StalePlanner.plan(List.of(rescheduled, longDue, scheduledEarlier), POLICY, NOW);

        assertThat(ids(plan, StalePlan.Kind.OUTGOING, StalePlan.Action.CANCEL)).containsExactly(2, 3);
        assertThat(plan.outgoing().left()).containsEntry("due for less than 7 d", 1);
    }

    @Test
    void mailScheduledForNextWeekIsNeverStaleHoweverOldItIs() {
        StaleMail nextWeek = outgoing(1, Duration.ofDays(365), NOW.plus(Duration.ofDays(7)));

        StalePlan plan = StalePlanner.plan(List.of(nextWeek), POLICY, NOW);

        assertThat(plan.batches()).isEmpty();
        assertThat(plan.outgoing().left()).containsEntry(StalePlanner.SCHEDULED_LATER, 1);
    }

    @Test
    void exceptionsThatLastFailedLongerAgoThanExceptionsAfterAreCancelledWhenPurgeIsOff() {
        StalePlan plan = StalePlanner.plan(List.of(exception(1, Duration.ofDays(31)), exception(2, Duration.ofDays(29))),
                POLICY, NOW);

        assertThat(ids(plan, StalePlan.Kind.EXCEPTION, StalePlan.Action.CANCEL)).containsExactly(1);
        assertThat(ids(plan, StalePlan.Kind.EXCEPTION, StalePlan.Action.PURGE)).isEmpty();
        assertThat(plan.exceptions().left()).containsEntry("failed less than 30 d ago", 1);
        assertThat(plan.batches().get(0).reason()).isEqualTo("failed more than 30 d ago");
        assertThat(plan.batches().get(0).insteadOfPurge()).isNull();
    }

    @Test
    void theAgeOfAnExceptionIsItsLastFailureNotItsCreation() {
        // created 60 days ago, failed again 3 days ago: not stale
        StaleMail retried = new StaleMail(1, "exception", NOW.minus(Duration.ofDays(60)), null, NOW.minus(Duration.ofDays(3)),
                "res.partner", 1, "email", false, List.of());

        StalePlan plan = StalePlanner.plan(List.of(retried), POLICY, NOW);

        assertThat(plan.batches()).isEmpty();
    }

    @Test
    void oldExceptionsArePurgedWhenPurgeIsOn() {
        StalePlan plan = StalePlanner.plan(List.of(exception(1, Duration.ofDays(31)), exception(2, Duration.ofDays(90))),
                PURGE, NOW);

        assertThat(ids(plan, StalePlan.Kind.EXCEPTION, StalePlan.Action.PURGE)).containsExactly(1, 2);
        assertThat(plan.exceptions().purge()).isEqualTo(2);
        assertThat(plan.exceptions().cancel()).isZero();
    }

    @Test
    void purgeNeverAppliesToOutgoingMailWhichIsOnlyCancelled() {
        StalePlan plan = StalePlanner.plan(List.of(outgoing(1, Duration.ofDays(30), null)), PURGE, NOW);

        assertThat(ids(plan, StalePlan.Kind.OUTGOING, StalePlan.Action.CANCEL)).containsExactly(1);
        assertThat(plan.batches()).noneMatch(b -> b.action() == StalePlan.Action.PURGE);
    }

    @Test
    void mailsLinkedToNoDocumentAreCancelledInsteadOfPurgedUpFrontWithTheReason() {
        List<StaleMail> mails = List.of(exception(1, Duration.ofDays(40)), exceptionWithoutDocument(2, null, null),
                exceptionWithoutDocument(3, "res.partner", null), exceptionWithoutDocument(4, "res.partner", 0),
                exceptionWithoutDocument(5, "", 12), exception(6, Duration.ofDays(40)));

        StalePlan plan = StalePlanner.plan(mails, PURGE, NOW);

        assertThat(ids(plan, StalePlan.Kind.EXCEPTION, StalePlan.Action.PURGE)).containsExactly(1, 6);
        assertThat(plan.batches()).filteredOn(b -> b.action() == StalePlan.Action.CANCEL).singleElement().satisfies(b -> {
            assertThat(b.ids()).containsExactly(2, 3, 4, 5);
            assertThat(b.insteadOfPurge()).isEqualTo(StalePlanner.NO_DOCUMENT).contains("Fault 4");
        });
        assertThat(plan.exceptions().cancelInsteadOfPurge()).containsEntry(StalePlanner.NO_DOCUMENT, 4);
        assertThat(plan.exceptions().cancel()).isEqualTo(4);
        assertThat(plan.exceptions().purge()).isEqualTo(2);
    }

    @Test
    void aUserNotificationIsRefusedLikeAMailWithoutDocumentAndANotificationMailIsDeletableWithoutOne() {
        StaleMail userNotification = new StaleMail(1, "exception", NOW.minus(Duration.ofDays(60)), null,
                NOW.minus(Duration.ofDays(40)), "res.partner", 3, "user_notification", false, List.of());
        // unlinking a notification mail leaves its message alone: Odoo does not refuse it
        StaleMail notification = new StaleMail(2, "exception", NOW.minus(Duration.ofDays(60)), null,
                NOW.minus(Duration.ofDays(40)), null, null, "email", true, List.of());

        StalePlan plan = StalePlanner.plan(List.of(userNotification, notification), PURGE, NOW);

        assertThat(plan.batches()).extracting(b -> b.action() + " " + b.ids())
                .containsExactly("CANCEL [1]", "PURGE [2]");
    }

    @Test
    void mailsLinkedToNoDocumentAreSimplyCancelledWhenPurgeIsOff() {
        StalePlan plan = StalePlanner.plan(List.of(exceptionWithoutDocument(2, null, null)), POLICY, NOW);

        assertThat(plan.batches()).singleElement().satisfies(b -> assertThat(b.insteadOfPurge()).isNull());
        assertThat(plan.exceptions().cancelInsteadOfPurge()).isEmpty();
    }

    @Test
    void batchesHoldAtMostBatchSizeMailsInIdOrder() {
        List<StaleMail> mails = new ArrayList<>();
        for (int id = 450; id >= 1; id--) {
            mails.add(outgoing(id, Duration.ofDays(8), null));
        }

        StalePlan plan = StalePlanner.plan(mails, POLICY, NOW);

        assertThat(plan.batches()).extracting(b -> b.ids().size()).containsExactly(200, 200, 50);
        assertThat(plan.batches().get(0).ids()).startsWith(1, 2, 3).endsWith(200);
        assertThat(plan.batches().get(2).ids()).endsWith(450);
        assertThat(plan.planned()).isEqualTo(450);
    }

    @Test
    void eachKindAndActionGetsItsOwnBatches() {
        StaleSettings smallBatches = new StaleSettings(false, Duration.ofDays(7), Duration.ofDays(30), true,
                Duration.ofDays(90), 2, 20);
        List<StaleMail> mails = List.of(outgoing(1, Duration.ofDays(8), null), outgoing(2, Duration.ofDays(8), null),
                outgoing(3, Duration.ofDays(8), null), exception(4, Duration.ofDays(31)), exceptionWithoutDocument(5, null, null),
                exception(6, Duration.ofDays(31)), exception(7, Duration.ofDays(31)));

        StalePlan plan = StalePlanner.plan(mails, smallBatches, NOW);

        assertThat(plan.batches()).extracting(b -> b.kind() + " " + b.action() + " " + b.ids())
                .containsExactly("OUTGOING CANCEL [1, 2]", "OUTGOING CANCEL [3]", "EXCEPTION CANCEL [5]",
                        "EXCEPTION PURGE [4, 6]", "EXCEPTION PURGE [7]");
    }

    @Test
    void candidatesThatMovedOnToAnotherStateAreCountedAndNeverPlanned() {
        StaleMail sent = new StaleMail(1, "sent", NOW.minus(Duration.ofDays(9)), null, NOW, "res.partner", 1, "email", false,
                List.of());

        StalePlan plan = StalePlanner.plan(List.of(sent), PURGE, NOW);

        assertThat(plan.batches()).isEmpty();
        assertThat(plan.movedOn()).containsEntry("sent", 1);
        assertThat(plan.outgoing().candidates()).isZero();
    }

    @Test
    void nothingToJudgeTheAgeByMeansTheMailIsLeftAlone() {
        StaleMail undated = new StaleMail(1, "outgoing", null, null, null, "res.partner", 1, "email", false,
                List.of());
        StaleMail undatedFailure = new StaleMail(2, "exception", null, null, null, "res.partner", 1, "email", false,
                List.of());

        StalePlan plan = StalePlanner.plan(List.of(undated, undatedFailure), PURGE, NOW);

        assertThat(plan.batches()).isEmpty();
        assertThat(plan.outgoing().left()).containsEntry(StalePlanner.NO_DATE, 1);
        assertThat(plan.exceptions().left()).containsEntry(StalePlanner.NO_DATE, 1);
    }

    @Test
    void noCandidatesMakeAnEmptyPlan() {
        StalePlan plan = StalePlanner.plan(List.of(), PURGE, NOW);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.outgoing().candidates()).isZero();
        assertThat(plan.exceptions().candidates()).isZero();
    }
}
