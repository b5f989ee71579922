package io.mailwatchdog.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.simulator.ScriptedSmtpServer;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ids beyond what one process_email_queue call sends (17.0, ICP mail.mail.queue.batch.size = 1) go in more calls,
 * all of them within the one call-timeout the lock's lease is sized for.
 */
class MailQueueFlusherSplitTest {
    final SimulatedClock clock = new SimulatedClock(Instant.now());
    ScriptedSmtpServer smtp;
    SimulatedOdoo odoo;
    SimulatedDatabase db;

    /** Counts the process_email_queue calls, each taking {@code slow}. */
    record Slow(OdooTransport real, Duration slow, AtomicInteger calls) implements OdooTransport {
        @Override public Object call(Service s, String m, List<Object> p, Duration t, String l) throws OdooException {
            if ("mail.mail.process_email_queue".equals(l)) {
                calls.incrementAndGet();
                try {
                    Thread.sleep(slow.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.call(s, m, p, t, l);
        }
        @Override public Duration replyTimeout() { return real.replyTimeout(); }
        @Override public Optional<Instant> serverTime() { return real.serverTime(); }
        @Override public long requestCount() { return real.requestCount(); }
        @Override public String describe() { return real.describe(); }
    }

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
        odoo = new SimulatedOdoo(clock);
        db = odoo.addDatabase("shop", "17.0");
        db.addMailServer("relay", "127.0.0.1", smtp.port());
        db.setParam("mail.mail.queue.batch.size", "1");
    }

    @AfterEach
    void stop() throws Exception {
        odoo.close();
        smtp.close();
    }

    OdooSession session(Duration slow, AtomicInteger calls) throws Exception {
        OdooTransport http = new XmlRpcOdooTransport(new TransportOptions(URI.create(odoo.url()), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 64L << 20, Optional.empty()));
        OdooSession s = new OdooSession(new Slow(http, slow, calls), "shop", "admin", "admin");
        s.login();
        return s;
    }

    @Test
    void idsBeyondWhatOneCallSendsGoInMoreCallsAndAreAllSent() throws Exception {
        List<Integer> ids = db.queue(5, clock.instant().minusSeconds(600));
        AtomicInteger calls = new AtomicInteger();

        new MailQueueFlusher(session(Duration.ZERO, calls)).process(ids, Duration.ofMinutes(1));

        assertThat(calls.get()).isEqualTo(5);
        assertThat(db.countByState()).containsEntry("sent", 5);
    }

    @Test
    void theCallsOfOneBatchStopAtTheirCommonDeadlineAndLeaveTheRestOutgoing() throws Exception {
        List<Integer> ids = db.queue(10, clock.instant().minusSeconds(600));
        AtomicInteger calls = new AtomicInteger();

        new MailQueueFlusher(session(Duration.ofMillis(300), calls)).process(ids, Duration.ofMillis(1000));

        assertThat(calls.get()).as("calls started before the deadline").isBetween(1, 5);
        assertThat(db.countByState().get("sent")).isEqualTo(calls.get());
        assertThat(db.countByState().get("outgoing")).isEqualTo(10 - calls.get());
    }
}
