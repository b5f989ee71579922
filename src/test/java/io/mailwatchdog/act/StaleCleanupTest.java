package io.mailwatchdog.act;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Archive;
import io.mailwatchdog.journal.ArchiveFile;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.MailArchiveReader;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.recovery.StalePlanner;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stale policy against the simulated Odoo: old outgoing mail cancelled inside a cron hold while fresh
 * and future mail stays, a purge whose archives hold exactly the rows it deleted and whose refused
 * unlinks become cancels, a mail sent meanwhile never cancelled, and the run's limits and refusals.
 */
class StaleCleanupTest {

    static final String ME = "00000000-0000-0000-0000-00000000000a/daemon";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final SimulatedClock odooClock = new SimulatedClock(Instant.now());
    SimulatedOdoo odoo;
    SimulatedDatabase shop;
    Journal journal;
    Instant now;

    @BeforeEach
    void start() throws Exception {
        odoo = new SimulatedOdoo(odooClock);
        shop = odoo.addDatabase("shop", "18.0");
        journal = Journal.open(state(), "shop", Clock.systemUTC());
        now = odooClock.instant();
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    Path state() {
        return dir.resolve("state");
    }

    TargetSettings target(String extra) throws Exception {
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                lock { settle-interval = 50ms }
                %s
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(state(), extra, odoo.url()));
        return SettingsLoader.load(Optional.of(conf), Map.of()).targets().get(0);
    }

    StaleCleanup cleanup(TargetSettings t, OdooSession session) {
        TargetWriter writer = new TargetWriter(t, session, journal, ME, Clock.systemUTC(), d -> { });
        return new StaleCleanup(t, writer, session, Archive.of(state(), "shop", Clock.systemUTC()), Clock.systemUTC(),
                x -> x);
    }

    StaleCleanup cleanup(TargetSettings t) {
        return cleanup(t, Probe.newSession(t));
    }

    OdooSession hooked(TargetSettings t, String label, Runnable before) {
        OdooTransport transport = WriterFailureTest.InterceptingTransport.hooked(Probe.transportFor(t), label, 1, before);
        return new OdooSession(transport, t.database(), t.login(), t.secret().reveal());
    }

    String state(int id) {
        return shop.mail(id).map(m -> (String) m.get("state")).orElse("gone");
    }

    List<JournalRecord> records(String action, String type) throws Exception {
        return journal.read(JournalQuery.all()).stream().filter(r -> r.action().equals(action) && r.type().equals(type))
                .toList();
    }

    /** Every mail of the run's archives, by id. */
    Map<Integer, JsonNode> archived(StaleSummary s) throws Exception {
        Map<Integer, JsonNode> out = new HashMap<>();
        for (ArchiveFile f : s.archives()) {
            for (JsonNode line : Archive.read(state().resolve(f.path()))) {
                out.put(line.get("mail").get("id").asInt(), line);
            }
        }
        return out;
    }

    int exceptionAt(Instant failedAt, Map<String, Object> more) {
        Map<String, Object> fields = new HashMap<>(Map.of("state", "exception", "failure_reason", "111\nConnection refused",
                "create_date", failedAt.minus(Duration.ofDays(1)), "write_date", failedAt));
        fields.putAll(more);
        return shop.addMail(fields);
    }

    @Test
    void oldOutgoingMailIsCancelledInsideACronHoldWhileFreshAndFutureScheduledMailStays() throws Exception {
        List<Integer> old = shop.queue(3, now.minus(Duration.ofDays(8)));
        List<Integer> fresh = shop.queue(1, now.minus(Duration.ofDays(1)));
        int nextWeek = shop.addMail(Map.of("create_date", now.minus(Duration.ofDays(30)), "write_date",
                now.minus(Duration.ofDays(30)), "scheduled_date", now.plus(Duration.ofDays(7))));

        StaleSummary s = cleanup(target("")).run(true, 20);

        assertThat(old).allSatisfy(id -> assertThat(state(id)).isEqualTo("cancel"));
        assertThat(state(fresh.get(0))).isEqualTo("outgoing");
        assertThat(state(nextWeek)).as("scheduled for next week: never stale").isEqualTo("outgoing");
        assertThat(s.stop()).isEqualTo(StaleSummary.Stop.DONE);
        assertThat(s.outgoing().stale()).isEqualTo(3);
        assertThat(s.outgoing().cancelled()).isEqualTo(3);
        assertThat(s.left()).isZero();
        assertThat(shop.mailCron().active()).as("the cron held for the batch is active again").isTrue();
        assertThat(shop.param(LockValue.KEY)).as("the lock is released").isEmpty();
        assertThat(records("cron.hold", JournalRecord.INTENT)).hasSize(1);
        assertThat(records("cron.restore", JournalRecord.INTENT)).hasSize(1);

        JournalRecord intent = records(StaleCleanup.CANCEL, JournalRecord.INTENT).get(0);
        assertThat(intent.ids()).containsExactlyElementsOf(old);
        assertThat(intent.details()).containsEntry("kind", "outgoing").containsEntry("rows", 3);
        Path file = state().resolve((String) intent.details().get("archive"));
        assertThat(intent.details().get("sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        assertThat(Archive.read(file)).extracting(l -> l.get("mail").get("id").asInt()).containsExactlyElementsOf(old);
        assertThat(Archive.read(file)).allSatisfy(l -> assertThat(l.get("mail").get("state").asText()).isEqualTo("outgoing"));
        JournalRecord outcome = records(StaleCleanup.CANCEL, JournalRecord.OUTCOME).get(0);
        assertThat(outcome.outcome()).isEqualTo("done");
        assertThat(outcome.details()).containsEntry("cancelled", 3);
        // the intent was on disk (and the archive before it) when Odoo was written: seq order
        JournalRecord hold = records("cron.hold", JournalRecord.OUTCOME).get(0);
        assertThat(hold.seq()).isLessThan(intent.seq());
    }

    @Test
    void aMailSentBetweenThePlanAndTheWriteIsNeitherArchivedNorCancelled() throws Exception {
        List<Integer> old = shop.queue(3, now.minus(Duration.ofDays(8)));
        int sentMeanwhile = old.get(1);
        TargetSettings t = target("");
        // the archive's re-read comes after the plan: Odoo sent one mail just before the cron was held
        OdooSession session = hooked(t, "mail.mail.read", () -> shop.mailState(List.of(sentMeanwhile), "sent"));

        StaleSummary s = cleanup(t, session).run(true, 20);

        assertThat(state(sentMeanwhile)).isEqualTo("sent");
        assertThat(state(old.get(0))).isEqualTo("cancel");
        assertThat(state(old.get(2))).isEqualTo("cancel");
        assertThat(s.outgoing().cancelled()).isEqualTo(2);
        assertThat(s.outgoing().skipped()).containsEntry("no longer outgoing (now sent)", 1);
        assertThat(s.left()).isZero();
        assertThat(records(StaleCleanup.CANCEL, JournalRecord.INTENT).get(0).ids()).containsExactly(old.get(0), old.get(2));
        assertThat(archived(s)).containsOnlyKeys(old.get(0), old.get(2));
    }

    @Test
    void aPurgeArchivesExactlyTheRowsItDeletesAndCancelsThoseOdooRefusesToDelete() throws Exception {
        TargetSettings t = target("stale { purge = true, batch-size = 4 }");
        Instant failed = now.minus(Duration.ofDays(40));
        List<Integer> old = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            old.add(exceptionAt(failed, Map.of()));
        }
        byte[] pdf = new byte[3000];
        new Random(5).nextBytes(pdf);
        int ownedByMessage = shop.addAttachment(old.get(0), "INV-1.pdf", pdf, "application/pdf");
        int ownedByPartner = shop.addAttachment(old.get(3), "terms.pdf", "terms".getBytes(), "application/pdf",
                "res.partner", 3);
        int noDocument = exceptionAt(failed, Map.of("model", false));
        int recent = exceptionAt(now.minus(Duration.ofDays(2)), Map.of());
        int losesItsDocument = old.get(4);
        List<Integer> stale = new ArrayList<>(old);
        stale.add(noDocument);

        OdooSession side = Probe.newSession(t);
        MailArchiveReader reader = new MailArchiveReader(side);
        Map<Integer, JsonNode> before = new HashMap<>();
        for (Map<String, Object> row : reader.mails(stale)) {
            before.put((Integer) row.get("id"), JSON.valueToTree(row));
        }
        JsonNode pdfBefore = JSON.valueToTree(reader.attachment(ownedByMessage));
        // after the plan, before its batch is written, someone unlinks the mail from its document
        OdooSession session = hooked(t, "mail.mail.read", () -> {
            try {
                side.execute("mail.mail", "write", List.of(List.of(losesItsDocument), Map.of("model", false)), Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        StaleSummary s = cleanup(t, session).run(true, 20);

        Set<Integer> deleted = new HashSet<>();
        stale.forEach(id -> {
            if (shop.mail(id).isEmpty()) {
                deleted.add(id);
            }
        });
        Set<Integer> expectedDeleted = new HashSet<>(old);
        expectedDeleted.remove(losesItsDocument);
        assertThat(deleted).isEqualTo(expectedDeleted);
        assertThat(state(losesItsDocument)).as("refused by Odoo, cancelled instead").isEqualTo("cancel");
        assertThat(state(noDocument)).as("planned as a cancel from the start").isEqualTo("cancel");
        assertThat(state(recent)).isEqualTo("exception");

        Map<Integer, JsonNode> archived = archived(s);
        assertThat(archived.keySet()).isEqualTo(new HashSet<>(stale));
        for (Integer id : deleted) {
            assertThat(archived.get(id).get("mail")).as("the archived row of deleted mail %s", id).isEqualTo(before.get(id));
        }
        assertThat(archived.get(old.get(0)).get("attachments")).containsExactly(pdfBefore);
        assertThat(archived.get(old.get(0)).get("attachments").get(0).get("datas").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(pdf));
        assertThat(shop.attachment(ownedByMessage)).as("deleted with its message").isEmpty();
        assertThat(shop.attachment(ownedByPartner)).as("a document's file stays").isPresent();

        assertThat(s.exceptions().purged()).isEqualTo(5);
        assertThat(s.exceptions().cancelledInsteadOfPurge()).containsEntry(StalePlanner.NO_DOCUMENT, 1);
        assertThat(s.exceptions().cancelledInsteadOfPurge()).hasSize(2).anySatisfy((reason, n) ->
                assertThat(reason).isEqualTo("Odoo refused its unlink (Fault 4): its message may not be deleted"
                        + " (Document type: Message, Operation: unlink)"));
        assertThat(s.left()).isZero();
        assertThat(s.exceptions().skipped()).isEmpty();

        // the refused batch was halved down to the single mail, which was journaled as its own cancel
        List<JournalRecord> purges = records(StaleCleanup.PURGE, JournalRecord.OUTCOME);
        assertThat(purges).filteredOn(r -> r.outcome().equals("failed")).extracting(r -> r.ids().size())
                .containsExactly(2, 1);
        JournalRecord insteadOfPurge = records(StaleCleanup.CANCEL, JournalRecord.INTENT).stream()
                .filter(r -> r.ids().equals(List.of(losesItsDocument))).findFirst().orElseThrow();
        assertThat((String) insteadOfPurge.details().get("instead_of_purge")).startsWith("Odoo refused its unlink (Fault 4)");
        // every write names its archive, and the archive holds its ids
        for (JournalRecord r : journal.read(JournalQuery.all())) {
            if (r.isIntentRecord() && r.action().startsWith("stale.")) {
                Set<Integer> inArchive = new HashSet<>();
                Archive.read(state().resolve((String) r.details().get("archive")))
                        .forEach(l -> inArchive.add(l.get("mail").get("id").asInt()));
                assertThat(inArchive).containsAll(r.ids());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void onEveryVersionAMailOdooRefusesToDeleteIsCancelledInsteadAndItsBatchmatesPurged(String version) throws Exception {
        String name = "v" + version.replace(".", "");
        SimulatedDatabase db = odoo.addDatabase(name, version);
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, """
                state-dir = "%s"
                stale { purge = true }
                targets = [ { name = shop, url = "%s", database = %s, login = admin, password = admin } ]
                """.formatted(state(), odoo.url(name), name));
        TargetSettings t = SettingsLoader.load(Optional.of(conf), Map.of()).targets().get(0);
        Instant failed = now.minus(Duration.ofDays(40));
        List<Integer> ids = db.exceptions(5, null, "111\nConnection refused", failed);
        int refused = ids.get(2);
        OdooSession side = Probe.newSession(t);
        OdooSession session = hooked(t, "mail.mail.read", () -> {
            try {
                side.execute("mail.mail", "write", List.of(List.of(refused), Map.of("model", false)), Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        StaleSummary s = cleanup(t, session).run(true, 20);

        assertThat(db.mail(refused).orElseThrow().get("state")).isEqualTo("cancel");
        assertThat(ids).filteredOn(id -> id != refused).allSatisfy(id -> assertThat(db.mail(id)).isEmpty());
        assertThat(s.exceptions().purged()).isEqualTo(4);
        assertThat(s.exceptions().cancelledInsteadOfPurge()).containsOnlyKeys("Odoo refused its unlink (Fault 4): its"
                + " message may not be deleted (Document type: Message, Operation: unlink)");
    }

    @Test
    void aMailWhoseAttachmentCannotBeReadWholeIsCancelledInsteadOfPurged() throws Exception {
        TargetSettings t = target("probe { max-response-size = 64KiB }\nstale { purge = true }");
        Instant failed = now.minus(Duration.ofDays(40));
        int big = exceptionAt(failed, Map.of());
        int small = exceptionAt(failed, Map.of());
        byte[] scan = new byte[100_000];
        new Random(7).nextBytes(scan);
        int attachment = shop.addAttachment(big, "scan.pdf", scan, "application/pdf");

        StaleSummary s = cleanup(t).run(true, 20);

        assertThat(state(big)).isEqualTo("cancel");
        assertThat(state(small)).isEqualTo("gone");
        assertThat(shop.attachment(attachment)).as("never deleted without its archive").isPresent();
        assertThat(s.exceptions().cancelledInsteadOfPurge()).hasSize(1);
        assertThat(s.exceptions().cancelledInsteadOfPurge().keySet().iterator().next())
                .contains("attachment " + attachment).contains("reply limit");
        JsonNode line = archived(s).get(big);
        assertThat(line.get("attachments").get(0).get("unreadable").asText()).contains("reply limit");
    }

    @Test
    void aMailTooLargeToArchiveIsLeftAloneWithTheReason() throws Exception {
        TargetSettings t = target("probe { max-response-size = 64KiB }");
        List<Integer> old = shop.queue(2, now.minus(Duration.ofDays(8)));
        int huge = shop.addMail(Map.of("create_date", now.minus(Duration.ofDays(9)), "write_date", now.minus(Duration.ofDays(9)),
                "body_html", "<p>" + "x".repeat(100_000) + "</p>"));

        StaleSummary s = cleanup(t).run(true, 20);

        assertThat(state(huge)).isEqualTo("outgoing");
        assertThat(old).allSatisfy(id -> assertThat(state(id)).isEqualTo("cancel"));
        assertThat(s.outgoing().left()).hasSize(1);
        assertThat(s.outgoing().left().entrySet().iterator().next()).satisfies(e -> {
            assertThat(e.getKey()).contains("larger than Odoo's reply limit");
            assertThat(e.getValue()).isEqualTo(1);
        });
        assertThat(archived(s)).containsOnlyKeys(old);
    }

    @Test
    void theDaemonsRunStopsAfterItsBatchesAndTheNextRunGoesOn() throws Exception {
        TargetSettings t = target("stale { batch-size = 2 }");
        List<Integer> old = shop.queue(5, now.minus(Duration.ofDays(8)));

        StaleSummary first = cleanup(t).run(true, 2);

        assertThat(first.stop()).isEqualTo(StaleSummary.Stop.BATCH_LIMIT);
        assertThat(first.outgoing().cancelled()).isEqualTo(4);
        assertThat(first.outgoing().left()).containsEntry("2 batch(es) a run: the rest waits for the next run", 1);
        assertThat(state(old.get(4))).isEqualTo("outgoing");
        assertThat(first.archives()).hasSize(2);

        StaleSummary next = cleanup(t).run(true, 2);

        assertThat(next.stop()).isEqualTo(StaleSummary.Stop.DONE);
        assertThat(state(old.get(4))).isEqualTo("cancel");
    }

    @Test
    void aDryRunPlansTheSameBatchesAndWritesNothingAnywhere() throws Exception {
        TargetSettings t = target("stale { purge = true, batch-size = 2 }");
        shop.queue(3, now.minus(Duration.ofDays(8)));
        exceptionAt(now.minus(Duration.ofDays(40)), Map.of());
        exceptionAt(now.minus(Duration.ofDays(40)), Map.of("model", false));
        Map<String, Integer> before = shop.countByState();

        StaleSummary s = cleanup(t).run(false, Integer.MAX_VALUE);

        assertThat(s.stop()).isEqualTo(StaleSummary.Stop.PLANNED);
        assertThat(s.batches()).extracting(b -> b.kind() + " " + b.action() + " " + b.count())
                .containsExactly("outgoing cancel 2", "outgoing cancel 1", "exception cancel 1", "exception purge 1");
        assertThat(s.outgoing().cancelled()).isEqualTo(3);
        assertThat(s.exceptions().purged()).isEqualTo(1);
        assertThat(s.exceptions().cancelledInsteadOfPurge()).containsEntry(StalePlanner.NO_DOCUMENT, 1);
        assertThat(shop.countByState()).isEqualTo(before);
        assertThat(shop.param(LockValue.KEY)).isEmpty();
        assertThat(state().resolve("archive")).doesNotExist();
        assertThat(journal.path()).doesNotExist();
    }

    @Test
    void anotherWritersLockMeansNothingIsWritten() throws Exception {
        List<Integer> old = shop.queue(2, now.minus(Duration.ofDays(8)));
        shop.setParam(LockValue.KEY, new LockValue("other/daemon", "daemon", "host", 1, now, null).json());

        StaleSummary s = cleanup(target("")).run(true, 20);

        assertThat(s.stop()).isEqualTo(StaleSummary.Stop.LOCK_BUSY);
        assertThat(s.refused()).isTrue();
        assertThat(s.stopDetail()).contains("other/daemon");
        assertThat(s.outgoing().left()).containsEntry("the lock is held by another writer", 2);
        assertThat(old).allSatisfy(id -> assertThat(state(id)).isEqualTo("outgoing"));
        assertThat(state().resolve("archive")).doesNotExist();
    }

    @Test
    void aNeutralizedDatabaseIsNeverCleaned() throws Exception {
        List<Integer> old = shop.queue(2, now.minus(Duration.ofDays(8)));
        shop.neutralize();

        StaleSummary s = cleanup(target("")).run(true, 20);

        assertThat(s.stop()).isEqualTo(StaleSummary.Stop.NEUTRALIZED);
        assertThat(s.refused()).isTrue();
        assertThat(old).allSatisfy(id -> assertThat(state(id)).isEqualTo("outgoing"));
        assertThat(journal.path()).doesNotExist();
    }

    @Test
    void aCancelOrPurgeCutShortByACrashIsReconciledFromTheMailsStates() throws Exception {
        List<Integer> cancelled = shop.queue(2, now.minus(Duration.ofDays(8)));
        int purged = exceptionAt(now.minus(Duration.ofDays(40)), Map.of());
        long cancel = journal.intent(StaleCleanup.CANCEL, "before the crash", null, cancelled, Map.of("kind", "outgoing"));
        long purge = journal.intent(StaleCleanup.PURGE, "before the crash", null, List.of(purged), Map.of("kind", "exception"));
        shop.mailState(cancelled, "cancel");
        TargetSettings t = target("");
        Probe.newSession(t).execute("mail.mail", "unlink", List.of(List.of(purged)), Map.of());

        TargetWriter.Reconciliation r = new TargetWriter(t, Probe.newSession(t), journal, ME, Clock.systemUTC(), d -> { })
                .reconcile();

        assertThat(r.complete()).isTrue();
        assertThat(journal.openIntents()).isEmpty();
        Map<Long, JournalRecord> outcomes = new HashMap<>();
        records(StaleCleanup.CANCEL, JournalRecord.OUTCOME).forEach(o -> outcomes.put(o.intentSeq(), o));
        records(StaleCleanup.PURGE, JournalRecord.OUTCOME).forEach(o -> outcomes.put(o.intentSeq(), o));
        assertThat(outcomes.get(cancel).details()).containsEntry("other", 2);
        assertThat(outcomes.get(purge).details()).containsEntry("gone", 1);
        assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.message()).startsWith("reconciled after a restart"));
    }
}
