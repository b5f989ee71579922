package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.testing.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the requests recorded against real Odoo 16.0–19.0 (shared/odoo-fixtures), in their recorded
 * order, against a fresh simulated database of the same version, and compares each reply with the
 * recorded one. The recorded SMTP sink (127.0.0.1:2525) and closed port (2599) become a scripted SMTP
 * server and a port nothing listens on.
 */
class FixtureReplayTest {

    static final Instant RECORDED = Instant.parse("2026-11-23T00:49:30Z");
    static ScriptedSmtpServer sink;
    static int closedPort;

    @BeforeAll
    static void smtp() throws IOException {
        sink = new ScriptedSmtpServer();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        sink.close();
    }

    /** One recorded session replayed against one simulated database. */
    final class Replay implements AutoCloseable {
        final String version;
        final SimulatedOdoo odoo;
        final SimulatedDatabase db;

        Replay(String version, String database) {
            this.version = version;
            this.odoo = new SimulatedOdoo(new SimulatedClock(RECORDED));
            this.db = odoo.addDatabase(database, version + ".0");
            sink.rcptReply(rcpt -> "250 2.1.5 OK");
        }

        /** Sends the recorded request and checks the reply; returns the simulator's reply. */
        RawXmlRpc.Reply step(String name) {
            Path dir = Fixtures.dir(version);
            String request = Fixtures.read(dir.resolve(name + ".request.xml"))
                    .replace("__ODOO_PASSWORD__", "admin")
                    .replace("<int>2525</int>", "<int>" + sink.port() + "</int>")
                    .replace("<int>2599</int>", "<int>" + closedPort + "</int>");
            String path = request.contains("<methodName>execute_kw</methodName>") ? "/xmlrpc/2/object" : "/xmlrpc/2/common";
            RawXmlRpc.Reply expected = RawXmlRpc.parse(Fixtures.read(dir.resolve(name + ".response.xml")));
            RawXmlRpc.Reply actual = RawXmlRpc.post(odoo.url() + path, request);
            ReplyComparison.assertSameReply("v" + version + " " + name, expected, actual);
            return actual;
        }

        @Override
        public void close() {
            odoo.close();
        }
    }

    @Test
    void odoo16AnswersItsRecordedSessionAsTheRealServerDid() throws Exception {
        replayRecordedSession("16", "watchdog16");
    }

    @Test
    void odoo17AnswersItsRecordedSessionAsTheRealServerDid() throws Exception {
        replayRecordedSession("17", "watchdog17");
    }

    @Test
    void odoo19AnswersItsRecordedSessionAsTheRealServerDid() throws Exception {
        replayRecordedSession("19", "watchdog19");
    }

    /** The v16/, v17/ and v19/ sessions, in the order of their index.md. */
    private void replayRecordedSession(String version, String database) throws Exception {
        try (Replay r = new Replay(version, database)) {
            for (String name : List.of("version", "authenticate_success", "authenticate_wrong_password",
                    "execute_kw_access_denied", "fields_get_mail_mail", "fields_get_ir_cron",
                    "search_read_ir_model_data_cron_xmlid", "read_ir_cron", "create_ir_mail_server_sink",
                    "create_ir_mail_server_closed_port", "read_res_users_admin_email")) {
                r.step(name);
            }
            if (version.equals("19")) {
                r.step("test_smtp_connection_without_user_email");
                r.step("write_res_users_admin_email");
            }
            r.step("test_smtp_connection_success");
            r.step("test_smtp_connection_failure");
            r.step("create_mail_mail_sink");
            r.step("create_mail_mail_closed_port");
            r.step("process_email_queue");
            r.step(version.equals("19") ? "process_email_queue_ids_kwarg" : "process_email_queue_batch_size_kwarg");
            r.step("read_mail_mail_after_queue");
            assertThat(sink.messages).anyMatch(m -> m.contains("rcpt-ok@watchdog.test"));
            r.step("read_group_mail_mail_by_state");
            if (version.equals("19")) {
                r.step("formatted_read_group_mail_mail_by_state");
            }
            r.step("ir_cron_method_direct_trigger");

            // A worker runs the cron and hangs in it: the row stays locked as during a real run.
            r.db.mailCron().stuck(true).nextcall(RECORDED.minusSeconds(60));
            CronRun run = r.db.tick().orElseThrow();
            waitUntil(() -> r.db.mailCron().running());
            r.step("write_ir_cron_locked");
            r.step("ir_cron_method_direct_trigger_locked");
            r.db.mailCron().release();
            assertThat(run.await(Duration.ofSeconds(10))).isTrue();
            r.step("write_ir_cron_unlocked");
        }
    }

    @Test
    void odoo18AnswersItsRecordedSessionAsTheRealServerDid() throws Exception {
        try (Replay r = new Replay("18", "watchdog")) {
            for (String name : List.of("version", "authenticate_success", "authenticate_wrong_password",
                    "execute_kw_access_denied", "execute_kw_private_method", "execute_kw_unknown_method",
                    "fields_get_mail_mail", "fields_get_ir_cron", "fields_get_ir_mail_server",
                    "search_read_ir_model_data_cron_xmlid", "read_ir_cron", "read_ir_cron_numbercall_fault",
                    "create_ir_mail_server_sink", "create_ir_mail_server_closed_port", "test_smtp_connection_success",
                    "test_smtp_connection_failure", "create_mail_mail", "read_mail_mail_outgoing", "mail_mail_send",
                    "read_mail_mail_sent")) {
                r.step(name);
            }
            // Mails 2 and 3 were queued on the sink and on the closed port outside the recording.
            queued(r.db, "watchdog acceptance queue 20261123004933", "rcpt2@watchdog.test", 1);
            queued(r.db, "watchdog acceptance bad server 20261123004933", "rcpt3@watchdog.test", 2);
            for (String name : List.of("search_read_mail_mail", "read_group_mail_mail_by_state", "process_email_queue",
                    "process_email_queue_no_args", "read_mail_mail_after_queue")) {
                r.step(name);
            }

            // The sink refuses RCPT TO: permanently for rcpt550 and Odoo's test address, temporarily for rcpt421.
            sink.rcptReply(rcpt -> rcpt.startsWith("rcpt421") ? "421 4.3.2 Service not available"
                    : rcpt.startsWith("rcpt550") || rcpt.equals("noreply@odoo.com") ? "550 5.1.1 Mailbox unavailable"
                    : "250 2.1.5 OK");
            r.step("test_smtp_connection_rcpt_550");
            int rcpt550 = queued(r.db, "watchdog acceptance rcpt 550 20261123004933", "rcpt550@watchdog.test", 1);
            int rcpt421 = queued(r.db, "watchdog acceptance rcpt 421 20261123004933", "rcpt421@watchdog.test", 1);
            r.db.mailQueue().process(List.of(rcpt550), 1000);
            r.db.mailQueue().process(List.of(rcpt421), 1000);
            for (String name : List.of("read_mail_mail_rcpt_550", "search_read_mail_mail_exception",
                    "read_group_mail_mail_by_state_after", "search_count_mail_mail_outgoing",
                    "ir_cron_method_direct_trigger", "read_ir_cron_after_trigger", "write_ir_cron_active")) {
                r.step(name);
            }
        }
    }

    private static int queued(SimulatedDatabase db, String subject, String to, int serverId) {
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("subject", subject);
        mail.put("email_from", "admin@example.com");
        mail.put("email_to", to);
        mail.put("mail_server_id", serverId);
        mail.put("auto_delete", false);
        return db.addMail(mail);
    }

    @Test
    void everyFaultOneTracebackOfAVersionIsFramedLikeThatVersionsRecordedOnes() throws Exception {
        for (String version : List.of("16", "17", "18", "19")) {
            try (Replay r = new Replay(version, "tb" + version)) {
                String unknown = RawXmlRpc.post(r.odoo.url() + "/xmlrpc/2/object", executeKw("tb" + version,
                        "mail.mail", "no_such_method")).faultString();
                Optional<Path> recorded = Files.list(Fixtures.dir(version))
                        .filter(p -> p.getFileName().toString().contains("kwarg.response")
                                || p.getFileName().toString().equals("read_ir_cron_numbercall_fault.response.xml"))
                        .findFirst();
                String firstFrame = RawXmlRpc.parse(Fixtures.read(recorded.orElseThrow())).faultString().split("\n")[1];
                assertThat(unknown.split("\n")[1]).as(version).isEqualTo(firstFrame);
            }
        }
    }

    static String executeKw(String db, String model, String method) {
        return "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>"
                + "<param><value><string>" + db + "</string></value></param><param><value><int>2</int></value></param>"
                + "<param><value><string>admin</string></value></param><param><value><string>" + model
                + "</string></value></param><param><value><string>" + method + "</string></value></param>"
                + "<param><value><array><data><value><array><data></data></array></value></data></array></value></param>"
                + "<param><value><struct></struct></value></param></params></methodCall>";
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
