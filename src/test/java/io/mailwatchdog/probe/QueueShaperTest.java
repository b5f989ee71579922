package io.mailwatchdog.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.odoo.DueHourGroup;
import io.mailwatchdog.odoo.DueMail;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ages, histogram, rates and signatures from what the readers returned. */
class QueueShaperTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");

    static Instant ago(long minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    @Test
    void aMailsDueAgeCountsFromTheLaterOfCreationAndSchedule() {
        DueMail scheduledLater = new DueMail(1, ago(120), ago(30));
        DueMail scheduledInThePastAtCreation = new DueMail(2, ago(45), ago(600));
        assertThat(scheduledLater.dueAge(NOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(scheduledInThePastAtCreation.dueAge(NOW)).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void theOldestIsByDueAgeNotByCreation() {
        List<DueMail> sample = List.of(new DueMail(1, ago(300), ago(10)), new DueMail(2, ago(200), null));
        QueueShaper.Oldest oldest = QueueShaper.oldestDue(sample, List.of(), NOW);
        assertThat(oldest.id()).isEqualTo(2);
        assertThat(oldest.ageSeconds()).isEqualTo(200 * 60);
    }

    @Test
    void anOlderHourGroupThanTheSampleWinsConservatively() {
        List<DueMail> sample = List.of(new DueMail(9, ago(20), null));
        List<DueHourGroup> groups = List.of(new DueHourGroup(Instant.parse("2026-11-23T07:00:00Z"), null, 4));
        QueueShaper.Oldest oldest = QueueShaper.oldestDue(sample, groups, NOW);
        assertThat(oldest.ageSeconds()).isEqualTo(Duration.ofMinutes(330).toSeconds());
        assertThat(oldest.id()).isNull();
    }

    @Test
    void nothingDueHasAgeZero() {
        assertThat(QueueShaper.oldestDue(List.of(), List.of(), NOW).ageSeconds()).isZero();
    }

    @Test
    void theHistogramUsesDoublingRangesAndCountsEveryMail() {
        List<DueHourGroup> groups = List.of(
                new DueHourGroup(Instant.parse("2026-11-23T12:00:00Z"), null, 5),   // 30 min
                new DueHourGroup(Instant.parse("2026-11-23T09:00:00Z"), null, 2),   // 3.5 h
                new DueHourGroup(Instant.parse("2026-11-23T08:00:00Z"), Instant.parse("2026-11-23T11:00:00Z"), 1), // due 11:00
                new DueHourGroup(Instant.parse("2026-11-10T00:00:00Z"), null, 7));  // 13 days
        List<AgeBucket> h = QueueShaper.histogram(groups, NOW);
        assertThat(h).extracting(AgeBucket::label)
                .containsExactly("0-1h", "1-2h", "2-4h", "4-8h", "8-16h", "16-32h", "32-64h", "64-128h", "128h+");
        assertThat(h.get(0).count()).isEqualTo(5);
        assertThat(h.get(1).count()).isEqualTo(1);
        assertThat(h.get(2).count()).isEqualTo(2);
        assertThat(h.get(8).count()).isEqualTo(7);
        assertThat(h.stream().mapToInt(AgeBucket::count).sum()).isEqualTo(15);
        assertThat(h.get(8).toSeconds()).isEqualTo(-1);
    }

    static FailedMail failed(int id, long minutesAgo, String type, String reason) {
        return new FailedMail(id, type, reason, ago(minutesAgo), ago(minutesAgo + 5), "res.partner");
    }

    @Test
    void ratesComeFromTheSampleWhenItReachesFurtherBackThanTheWindow() {
        List<FailedMail> sample = List.of(failed(3, 5, null, "x"), failed(2, 50, null, "x"), failed(1, 200, null, "x"));
        assertThat(QueueShaper.countSince(sample, ago(60))).isEqualTo(2);
        assertThat(QueueShaper.sampleTooSmallFor(sample, 3, ago(60))).isFalse();
    }

    @Test
    void aFullSampleInsideTheWindowCannotCountIt() {
        List<FailedMail> sample = List.of(failed(3, 5, null, "x"), failed(2, 10, null, "x"));
        assertThat(QueueShaper.sampleTooSmallFor(sample, 2, ago(60))).isTrue();
        assertThat(QueueShaper.sampleTooSmallFor(sample, 3, ago(60))).isFalse();
    }

    @Test
    void signaturesGroupTheSameReasonForDifferentAddressesAndKeepExamples() {
        List<FailedMail> sample = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            sample.add(failed(100 + i, i, "unknown", "Mail Delivery Failed\nMail delivery failed via SMTP server 'None'.\n"
                    + "SMTPRecipientsRefused: {'user" + i + "@example.com': (421, b'4.3.2 Service not available')}"));
        }
        sample.add(failed(5, 90, null, "111\nConnection refused"));
        List<FailureSignatureGroup> groups = QueueShaper.signatures(sample);
        assertThat(groups).hasSize(2);
        FailureSignatureGroup top = groups.get(0);
        assertThat(top.count()).isEqualTo(7);
        assertThat(top.failureClass()).isEqualTo(FailureClass.RATE_LIMIT);
        assertThat(top.exampleIds()).hasSize(5).contains(101);
        assertThat(top.signature()).doesNotContain("user1@example.com").contains("421");
        assertThat(top.firstSeen()).isEqualTo(ago(7));
        assertThat(top.lastSeen()).isEqualTo(ago(1));
        assertThat(groups.get(1).failureClass()).isEqualTo(FailureClass.TRANSPORT);
    }
}
