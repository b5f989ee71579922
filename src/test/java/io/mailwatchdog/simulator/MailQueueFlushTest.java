package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.odoo.OdooFault;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code process_email_queue} and the record methods the watchdog's flush and retry will call, driven
 * through the watchdog's own XML-RPC session; mail really goes to GreenMail.
 */
class MailQueueFlushTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    GreenMail smtp;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        odoo = new SimulatedOdoo(new SimulatedClock(NOW));
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    SimulatedDatabase database(String version) {
        SimulatedDatabase db = odoo.addDatabase("db" + version.replace(".", ""), version);
        db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
        return db;
    }

    static Map<String, Object> batch(int n) {
        return Map.of("batch_size", n);
    }

    @Test
    void oneFlushDeliversEachDueMailOnceUnderItsOwnMessageIdAndMarksItSent() throws Exception {
        SimulatedDatabase db = database("18.0");
        List<Integer> ids = db.queue(5, NOW.minus(Duration.ofHours(1)));
        WatchdogClient client = new WatchdogClient(odoo, db.name());

        client.callReturningNone("mail.mail", "process_email_queue", List.of(ids), batch(100));

        assertThat(db.countByState()).containsEntry("sent", 5).containsEntry("outgoing", 0);
        assertThat(db.deliveryCount()).isEqualTo(5);
        assertThat(db.duplicates()).isEmpty();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(5);
        List<String> headerIds = new ArrayList<>();
        for (MimeMessage m : received) {
            headerIds.add(m.getMessageID());
        }
        assertThat(headerIds).containsExactlyInAnyOrderElementsOf(ids.stream()
                .map(id -> (String) db.mail(id).orElseThrow().get("message_id")).toList());
    }

    @Test
    void twoFlushesAtOnceCanDeliverTheSameMailTwiceBecauseOdooDoesNotLockTheQueue() throws Exception {
        SimulatedDatabase db = database("18.0").sendDelay(Duration.ofMillis(300));
        List<Integer> ids = db.queue(2, NOW.minus(Duration.ofHours(1)));
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Callable<Void> flush = () -> {
                new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue",
                        List.of(ids), batch(100));
                return null;
            };
            List<Future<Void>> running = List.of(two.submit(flush), two.submit(flush));
            for (Future<Void> f : running) {
                f.get();
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(db.duplicates()).as("both flushes saw the mails outgoing and sent them").isNotEmpty();
        assertThat(db.countByState()).containsEntry("sent", 2);
    }

    @Test
    void aFlushSendsOnlyTheGivenIdsThatAreDueAndOutgoing() throws Exception {
        SimulatedDatabase db = database("17.0");
        int due = db.queue(1, NOW.minus(Duration.ofHours(1))).get(0);
        int later = db.addMail(Map.of("scheduled_date", NOW.plus(Duration.ofHours(2))));
        int cancelled = db.addMail(Map.of("state", "cancel"));
        int notAsked = db.queue(1, NOW.minus(Duration.ofHours(1))).get(0);

        new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue",
                List.of(List.of(due, later, cancelled)), Map.of());

        assertThat(db.mail(due).orElseThrow()).containsEntry("state", "sent");
        assertThat(db.mail(later).orElseThrow()).containsEntry("state", "outgoing");
        assertThat(db.mail(cancelled).orElseThrow()).containsEntry("state", "cancel");
        assertThat(db.mail(notAsked).orElseThrow()).containsEntry("state", "outgoing");
        assertThat(db.deliveryCount()).isEqualTo(1);
    }

    @Test
    void aBacklogLargerThanTheBatchIsDrainedNewestFirst() throws Exception {
        SimulatedDatabase db = database("18.0");
        List<Integer> ids = db.queue(5, NOW.minus(Duration.ofHours(1)));

        new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue", List.of(), batch(2));

        assertThat(ids.stream().filter(id -> "sent".equals(db.mail(id).orElseThrow().get("state"))))
                .containsExactly(ids.get(3), ids.get(4));
    }

    @Test
    void aKeywordTheVersionLacksIsTheTypeErrorOfTheFixturesAndSendsNothing() {
        SimulatedDatabase v17 = database("17.0");
        SimulatedDatabase v19 = database("19.0");
        List<Integer> ids17 = v17.queue(1, NOW);
        List<Integer> ids19 = v19.queue(1, NOW);

        OdooFault batchSize = new WatchdogClient(odoo, v17.name()).fault("mail.mail", "process_email_queue",
                List.of(ids17), batch(10));
        OdooFault idsKeyword = new WatchdogClient(odoo, v19.name()).fault("mail.mail", "process_email_queue",
                List.of(), Map.of("ids", ids19));

        assertThat(batchSize.code()).isEqualTo(1);
        assertThat(batchSize.lastLine()).isEqualTo(
                "TypeError: MailMail.process_email_queue() got an unexpected keyword argument 'batch_size'");
        assertThat(idsKeyword.lastLine()).isEqualTo(
                "TypeError: MailMail.process_email_queue() got an unexpected keyword argument 'ids'");
        assertThat(v17.deliveryCount() + v19.deliveryCount()).isZero();
    }

    @Test
    void anAutoDeletedMailIsGoneOnceSentAndTheVerifyingReadNoLongerFindsIt() throws Exception {
        SimulatedDatabase db = database("19.0");
        int kept = db.addMail(Map.of("auto_delete", false));
        int deleted = db.addMail(Map.of("auto_delete", true));
        WatchdogClient client = new WatchdogClient(odoo, db.name());

        client.callReturningNone("mail.mail", "process_email_queue", List.of(List.of(kept, deleted)), batch(10));
        Object reply = client.call("mail.mail", "search_read", List.of(List.of(List.of("id", "in", List.of(kept, deleted)))),
                Map.of("fields", List.of("id", "state", "failure_type", "failure_reason", "write_date")));

        assertThat(WatchdogClient.rows(reply)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("id", kept).containsEntry("state", "sent").containsEntry("failure_type", false)
                    .containsEntry("failure_reason", false).containsEntry("write_date", "2026-11-23 12:00:00");
        });
        assertThat(db.deliveryCount()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionFailsTheMailWithOdoosConnectTimeReasonAndNoFailureType() throws Exception {
        SimulatedDatabase db = odoo.addDatabase("closed", "18.0");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        db.addMailServer("dead", "127.0.0.1", port);
        int id = db.queue(1, NOW).get(0);

        new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue", List.of(List.of(id)), Map.of());

        assertThat(db.mail(id).orElseThrow()).containsEntry("state", "exception")
                .containsEntry("failure_reason", "111\nConnection refused").containsEntry("failure_type", null);
    }

    @Test
    void withoutAnyMailServerMailGoesToTheDatabasesDefaultSmtpServer() throws Exception {
        SimulatedDatabase db = odoo.addDatabase("nosrv", "16.0").defaultSmtp("127.0.0.1", smtp.getSmtp().getPort());
        int id = db.queue(1, NOW).get(0);

        new WatchdogClient(odoo, db.name()).callReturningNone("mail.mail", "process_email_queue", List.of(List.of(id)), Map.of());

        assertThat(db.mail(id).orElseThrow()).containsEntry("state", "sent");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void requeueCancelRetryAndUnlinkAnswerAsOdoosRecordMethodsDo() throws Exception {
        SimulatedDatabase db = database("18.0");
        List<Integer> failed = db.exceptions(2, "unknown", "Mail Delivery Failed");
        int outgoing = db.queue(1, NOW).get(0);
        WatchdogClient client = new WatchdogClient(odoo, db.name());

        assertThat(client.call("mail.mail", "mark_outgoing", List.of(List.of(failed.get(0))), Map.of())).isEqualTo(true);
        assertThat(db.mail(failed.get(0)).orElseThrow()).containsEntry("state", "outgoing")
                .containsEntry("failure_reason", "Mail Delivery Failed");
        assertThat(client.call("mail.mail", "cancel", List.of(List.of(outgoing)), Map.of())).isEqualTo(true);
        assertThat(db.mail(outgoing).orElseThrow()).containsEntry("state", "cancel");
        client.callReturningNone("mail.mail", "action_retry", List.of(List.of(failed.get(1), outgoing)), Map.of());
        assertThat(db.mail(failed.get(1)).orElseThrow()).containsEntry("state", "outgoing");
        assertThat(db.mail(outgoing).orElseThrow()).as("only exceptions are retried").containsEntry("state", "cancel");
        client.callReturningNone("mail.mail", "send", List.of(List.of(failed.get(1))), Map.of());
        assertThat(db.mail(failed.get(1)).orElseThrow()).containsEntry("state", "sent");

        assertThat(client.call("mail.mail", "unlink", List.of(List.of(outgoing)), Map.of())).isEqualTo(true);
        assertThat(db.mail(outgoing)).isEmpty();
        OdooFault gone = client.fault("mail.mail", "unlink", List.of(List.of(outgoing)), Map.of());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.faultString()).isEqualTo("Record does not exist or has been deleted.\n(Record: mail.mail("
                + outgoing + ",), User: 2)");
    }
}
