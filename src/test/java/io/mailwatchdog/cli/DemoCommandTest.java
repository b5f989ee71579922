package io.mailwatchdog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command: the demo runs the whole loop with nothing installed and recovers every database. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoRevivesTheSchedulersAndSendsEveryBacklogOnceThenStops() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"demo", "--port", "0", "--probe-interval", "1", "--exit-when-recovered",
                "--state-dir", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC());

        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString())
                .contains("three stalled databases")
                .containsPattern("Look: +http://127\\.0\\.0\\.1:\\d+/ ")
                .contains("alert (webhook): shop scheduler.active FAIL")
                .contains("Recovered: the backlogs are sent (160 mails reached the SMTP server, 0 of them twice)")
                .contains("crm's failed mails are retried")
                .contains("demo stopped");
        for (String db : new String[] {"shop", "books", "portal"}) {
            java.util.List<JournalRecord> records = Journal.open(dir, db, Clock.systemUTC()).read(JournalQuery.all());
            assertThat(records).as("journal of %s", db).extracting(JournalRecord::action).contains("flush");
        }
        assertThat(Journal.open(dir, "shop", Clock.systemUTC()).read(JournalQuery.all()))
                .extracting(JournalRecord::action).contains("cron.revive");
        java.util.List<JournalRecord> crm = Journal.open(dir, "crm", Clock.systemUTC()).read(JournalQuery.all());
        assertThat(crm).filteredOn(r -> r.action().equals("retry.requeue") && r.isIntentRecord())
                .extracting(r -> r.ids().size()).containsExactly(5, 10, 10, 10, 5);
    }
}
