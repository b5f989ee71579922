package io.mailwatchdog.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The demo's three stalled databases, one per way the mail scheduler stops, each with a backlog: an
 * 18.0 whose cron was deactivated, a 16.0 whose cron ran out of numbercall, and a 19.0 whose cron is
 * active but has no worker to run it (overdue). Mail goes to the SMTP server at {@code smtpPort}.
 */
public final class DemoScenario {

    /** One database of the scenario: its name, version, how it is stalled, and its backlog. */
    public record Stalled(String name, String version, Stall stall, int backlog, Duration age, String story) {
    }

    public static final List<Stalled> DATABASES = List.of(
            new Stalled("shop", "18.0", Stall.SCHEDULER_INACTIVE, 60, Duration.ofHours(3),
                    "18.0, mail scheduler deactivated (as Odoo does after 5 failures over 7 days)"),
            new Stalled("books", "16.0", Stall.NUMBERCALL_EXHAUSTED, 35, Duration.ofHours(2),
                    "16.0, mail scheduler out of numbercall (active, but Odoo no longer runs it)"),
            new Stalled("portal", "19.0", Stall.NO_CRON_WORKER, 25, Duration.ofMinutes(50),
                    "19.0, mail scheduler active but overdue: no cron worker runs it"));

    /** A database after an SMTP outage that is fixed now: its failed mails wait in exception. */
    public record Outage(String name, String version, int failed, int invalid, String story) {
    }

    public static final Outage OUTAGE = new Outage("crm", "17.0", 40, 3,
            "17.0, after an SMTP outage (fixed now): mails failed with connection refused, 3 to invalid addresses");

    private DemoScenario() {
    }

    /**
     * Adds the outage's database: its failed mails (Odoo's connect-time reason, 20 min ago) and the ones
     * to invalid addresses, which the retry must leave alone. Returns the failed mails' ids.
     */
    public static List<Integer> installOutage(SimulatedOdoo odoo, int smtpPort, Clock clock) {
        SimulatedDatabase db = odoo.addDatabase(OUTAGE.name(), OUTAGE.version());
        db.userEmail("admin@" + OUTAGE.name() + ".example.com");
        db.addMailServer("relay", "127.0.0.1", smtpPort);
        java.time.Instant failedAt = clock.instant().minus(Duration.ofMinutes(20));
        db.exceptions(OUTAGE.invalid(), "mail_email_invalid", "Invalid email address 'nobody'", failedAt);
        return db.exceptions(OUTAGE.failed(), null, "111\nConnection refused", failedAt);
    }

    /** Adds the scenario's databases to the simulator; returns each one's backlog ids by name. */
    public static java.util.Map<String, List<Integer>> install(SimulatedOdoo odoo, int smtpPort, Clock clock) {
        java.util.Map<String, List<Integer>> backlogs = new java.util.LinkedHashMap<>();
        for (Stalled s : DATABASES) {
            SimulatedDatabase db = odoo.addDatabase(s.name(), s.version());
            db.userEmail("admin@" + s.name() + ".example.com");
            db.addMailServer("relay", "127.0.0.1", smtpPort);
            backlogs.put(s.name(), db.queue(s.backlog(), clock.instant().minus(s.age())));
            db.stall(s.stall());
        }
        return backlogs;
    }

    /** New mail, as a live database makes it: a few mails per database now and then. */
    public static void traffic(SimulatedOdoo odoo, Clock clock) {
        for (Stalled s : DATABASES) {
            odoo.database(s.name()).queue(2, clock.instant());
        }
    }
}
