package io.mailwatchdog.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.odoo.ConfigParameter;
import io.mailwatchdog.odoo.ConfigParameterStore;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.simulator.SimulatedClock;
import io.mailwatchdog.simulator.SimulatedOdoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TargetLock#confirm} before each chunk of a retry group: a read only when the row was last seen ours more than
 * {@link TargetLock#RECHECK} ago, a renewing write once half the lease may have passed. Odoo's clock (the row's
 * write_date, the reply's Date) and the watchdog's are the same simulated clock here.
 */
class LockConfirmTest {
    static final Duration LEASE = Duration.ofMinutes(15);

    @TempDir
    Path dir;
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-23T10:00:00Z"));

    /** The reply's Date on the simulated clock (the JDK's HTTP server would stamp the host's). */
    record OdooClockTransport(OdooTransport real, Clock odooClock) implements OdooTransport {
        @Override public Object call(Service s, String m, List<Object> p, Duration t, String l) throws OdooException {
            return real.call(s, m, p, t, l);
        }
        @Override public Duration replyTimeout() { return real.replyTimeout(); }
        @Override public Optional<Instant> serverTime() { return Optional.of(odooClock.instant()); }
        @Override public long requestCount() { return real.requestCount(); }
        @Override public String describe() { return real.describe(); }
    }
    SimulatedOdoo odoo;
    OdooSession session;
    TargetLock lock;

    @BeforeEach
    void start() throws Exception {
        odoo = new SimulatedOdoo(clock);
        odoo.addDatabase("shop", "18.0");
        Path conf = dir.resolve("w.conf");
        Files.writeString(conf, """
                state-dir = "%s"
                targets = [ { name = shop, url = "%s", database = shop, login = admin, password = admin } ]
                """.formatted(dir.resolve("state"), odoo.url()));
        TargetSettings t = SettingsLoader.load(Optional.of(conf), Map.of()).targets().get(0);
        session = new OdooSession(new OdooClockTransport(Probe.transportFor(t), clock), t.database(), t.login(), t.secret().reveal());
        session.login();
        lock = new TargetLock(new ConfigParameterStore(session), session.transport(),
                Journal.open(dir.resolve("state"), "shop", clock), "me/cli", LEASE, clock);
    }

    @AfterEach
    void stop() throws Exception {
        odoo.close();
    }

    TargetLock.Held heldWithAHold() throws Exception {
        TargetLock.Held held = lock.acquire("retry");
        return lock.record(held, new LockValue.Hold(3, true, clock.instant(), List.of(1, 2), LockValue.Hold.RETRY));
    }

    ConfigParameter row() throws Exception {
        return new ConfigParameterStore(session).find(LockValue.KEY).orElseThrow();
    }

    @Test
    void aConfirmMomentsAfterTheRowWasSeenOursSendsNoRequest() throws Exception {
        TargetLock.Held held = heldWithAHold();
        long before = session.transport().requestCount();

        clock.advance(Duration.ofSeconds(2));
        lock.confirm(held);
        clock.advance(Duration.ofSeconds(2));
        lock.confirm(held);

        assertThat(session.transport().requestCount()).isEqualTo(before);
    }

    @Test
    void aConfirmPastTheRecheckReadsTheRowAndNoticesItWasDeletedByHand() throws Exception {
        TargetLock.Held held = heldWithAHold();
        new ConfigParameterStore(session).unlink(held.rowId());

        clock.advance(TargetLock.RECHECK.minusSeconds(1));
        lock.confirm(held); // within the recheck: an admin's deletion is not seen yet (no watchdog may take over meanwhile)
        clock.advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> lock.confirm(held)).isInstanceOf(LockLost.class).hasMessageContaining("it is gone");
    }

    @Test
    void aChunkLongerThanHalfTheLeaseIsFollowedByARenewingWrite() throws Exception {
        TargetLock.Held held = heldWithAHold();
        Instant written = row().writeDate();

        clock.advance(LEASE.dividedBy(2).plusSeconds(1));
        TargetLock.Held renewed = lock.confirm(held);

        assertThat(row().writeDate()).isAfter(written);
        assertThat(renewed.value().hold().ids()).containsExactly(1, 2);
    }

    @Test
    void aConfirmBetweenTheRecheckAndHalfTheLeaseReadsButDoesNotWrite() throws Exception {
        TargetLock.Held held = heldWithAHold();
        Instant written = row().writeDate();
        long before = session.transport().requestCount();

        clock.advance(TargetLock.RECHECK.plusSeconds(5));
        lock.confirm(held);

        assertThat(session.transport().requestCount()).isEqualTo(before + 1);
        assertThat(row().writeDate()).isEqualTo(written);
    }
}
