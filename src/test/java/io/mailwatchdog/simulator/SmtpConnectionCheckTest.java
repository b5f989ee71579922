package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.odoo.OdooFault;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ir.mail_server.test_smtp_connection} against real SMTP servers: logins, refusals, and no mail sent. */
class SmtpConnectionCheckTest {

    GreenMail smtp;
    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.setUser("relay@example.com", "relay", "right");
        smtp.start();
        odoo = new SimulatedOdoo(new SimulatedClock(Instant.parse("2026-11-23T12:00:00Z")));
    }

    @AfterEach
    void stop() {
        odoo.close();
        smtp.stop();
    }

    OdooFault test(SimulatedDatabase db, int server) {
        return new WatchdogClient(odoo, db.name()).fault("ir.mail_server", "test_smtp_connection", List.of(List.of(server)), Map.of());
    }

    @Test
    void aLoginTheServerRefusesIsOdoosServerRepliedText() throws Exception {
        SimulatedDatabase db = odoo.addDatabase("auth", "18.0");
        int wrong = db.addMailServer(Map.of("name", "relay", "smtp_host", "127.0.0.1", "smtp_port", smtp.getSmtp().getPort(),
                "smtp_user", "relay", "smtp_pass", "wrong"));
        int right = db.addMailServer(Map.of("name", "relay-ok", "smtp_host", "127.0.0.1", "smtp_port", smtp.getSmtp().getPort(),
                "smtp_user", "relay", "smtp_pass", "right"));

        OdooFault refused = test(db, wrong);
        Object passed = new WatchdogClient(odoo, db.name()).call("ir.mail_server", "test_smtp_connection",
                List.of(List.of(right)), Map.of());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.faultString()).startsWith("Server replied with following exception:\n (535, b'")
                .doesNotContain("wrong");
        assertThat(passed).isInstanceOf(Map.class);
        assertThat(smtp.getReceivedMessages()).as("a connection test sends no mail").isEmpty();
    }

    @Test
    void aLoginOnAServerWithoutAuthIsOdoosOptionNotSupportedText() throws Exception {
        try (ScriptedSmtpServer noAuth = new ScriptedSmtpServer()) {
            SimulatedDatabase db17 = odoo.addDatabase("noauth17", "17.0");
            SimulatedDatabase db16 = odoo.addDatabase("noauth16", "16.0");
            Map<String, Object> server = Map.of("name", "plain", "smtp_host", "127.0.0.1", "smtp_port", noAuth.port(),
                    "smtp_user", "someone", "smtp_pass", "pw");

            assertThat(test(db17, db17.addMailServer(server)).faultString())
                    .isEqualTo("An option is not supported by the server:\n SMTP AUTH extension not supported by server.");
            assertThat(test(db16, db16.addMailServer(server)).faultString())
                    .as("16.0 prints the exception's strerror, None for this one")
                    .isEqualTo("An option is not supported by the server:\n None");
        }
    }

    @Test
    void aServerWithAFromFilterIsTestedFromThatAddressEvenWhenTheUserHasNoEmail() throws Exception {
        try (ScriptedSmtpServer sink = new ScriptedSmtpServer()) {
            SimulatedDatabase db = odoo.addDatabase("filter", "19.0");
            int filtered = db.addMailServer(Map.of("name", "f", "smtp_host", "127.0.0.1", "smtp_port", sink.port(),
                    "from_filter", "example.com"));
            int unfiltered = db.addMailServer(Map.of("name", "u", "smtp_host", "127.0.0.1", "smtp_port", sink.port()));
            sink.rcptReply(rcpt -> "250 OK");

            Object passed = new WatchdogClient(odoo, db.name()).call("ir.mail_server", "test_smtp_connection",
                    List.of(List.of(filtered)), Map.of());

            assertThat(passed).isInstanceOf(Map.class);
            assertThat(test(db, unfiltered).faultString()).isEqualTo("Please configure an email on the current user to"
                    + " simulate sending an email message via this outgoing server");
        }
    }

    @Test
    void theServersPasswordNeverShowsInItsDescription() {
        SmtpServerConfig config = new SmtpServerConfig("smtp.example.com", 587, "starttls", "relay", "s3cret!", null);
        assertThat(config.toString()).contains("smtp.example.com:587", "relay").doesNotContain("s3cret!");
    }
}
