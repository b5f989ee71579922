package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.odoo.DueHourGroup;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.MailQueueReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The queue reader's grouped calls ({@code read_group} on 16.0–18.0, {@code formatted_read_group} on
 * 19.0, by state and by due hour) and samples, decoded by the watchdog's own parsing.
 */
class QueueReadersAgainstSimulatorTest {

    static final Instant NOW = Instant.parse("2026-11-23T13:34:32Z");

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void dueMailIsGroupedByCreationAndScheduledHourAsTheReaderExpects(String version) throws Exception {
        try (SimulatedOdoo odoo = new SimulatedOdoo(new SimulatedClock(NOW))) {
            SimulatedDatabase db = odoo.addDatabase("hours", version);
            db.queue(2, Instant.parse("2026-11-23T13:05:00Z"));
            db.addMail(Map.of("create_date", Instant.parse("2026-11-23T13:10:00Z"),
                    "scheduled_date", Instant.parse("2026-11-23T10:30:00Z")));
            db.addMail(Map.of("create_date", Instant.parse("2026-11-22T23:59:59Z")));
            db.addMail(Map.of("scheduled_date", NOW.plus(Duration.ofHours(1)))); // not due
            db.exceptions(1, "unknown", "Mail Delivery Failed", NOW.minus(Duration.ofMinutes(5)));
            MailQueueReader reader = new MailQueueReader(new WatchdogClient(odoo, db.name()).session);

            List<DueHourGroup> groups = reader.dueByHour(NOW);
            assertThat(groups).extracting(g -> g.createHour() + " " + g.scheduledHour() + " " + g.count())
                    .containsExactlyInAnyOrder(
                            "2026-11-22T23:00:00Z null 1",
                            "2026-11-23T13:00:00Z 2026-11-23T10:00:00Z 1",
                            "2026-11-23T13:00:00Z null 2");
            assertThat(reader.countByState().byState()).containsEntry("outgoing", 5).containsEntry("exception", 1);
            assertThat(reader.oldestDue(NOW, 100)).hasSize(4).first()
                    .satisfies(m -> assertThat(m.createDate()).isEqualTo(Instant.parse("2026-11-22T23:59:59Z")));
            List<FailedMail> failed = reader.latestExceptions(10);
            assertThat(failed).singleElement().satisfies(f -> {
                assertThat(f.failureType()).isEqualTo("unknown");
                assertThat(f.writeDate()).isEqualTo(NOW.minus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            });
            assertThat(reader.countExceptionsSince(NOW.minus(Duration.ofHours(1)))).isEqualTo(1);
        }
    }
}
