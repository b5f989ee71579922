package io.mailwatchdog.lock;

import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.Outcome;
import io.mailwatchdog.odoo.ConfigParameter;
import io.mailwatchdog.odoo.ConfigParameterStore;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooTransport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One writer per database, with a lock that Odoo itself holds: an {@code ir.config_parameter} row
 * with the fixed key {@link LockValue#KEY}. The key is unique, so {@code create} is the atomic step;
 * the row's value names the owner (stable across restarts) and the cron hold of a flush.
 *
 * <p>Guarantees: while a writer's row exists and its lease (counted on Odoo's clock from the row's
 * {@code write_date}) has not expired, no other watchdog creates, adopts or deletes it. Every write
 * goes to the exact row id and is read back (Odoo answers True to a write on a deleted id), so a writer
 * whose row was taken over stops at its next write instead of writing on. A stale row is taken over by deleting that exact row and creating a new one that
 * carries its hold, so the hold is never forgotten. Each of these writes is journaled first.
 */
public final class TargetLock {

    /** The lock as this writer holds it; {@code inherited} is a hold left by a crashed or stale writer. */
    public record Held(int rowId, LockValue value, Optional<LockValue.Hold> inherited) {
    }

    private final ConfigParameterStore store;
    private final OdooTransport transport;
    private final Journal journal;
    private final String owner;
    private final Duration lease;
    private final Clock clock;
    private final java.util.function.UnaryOperator<String> redact;

    public TargetLock(ConfigParameterStore store, OdooTransport transport, Journal journal, String owner,
                      Duration lease, Clock clock) {
        this(store, transport, journal, owner, lease, clock, java.util.function.UnaryOperator.identity());
    }

    /** @param redact masks secrets in error messages before they go to the journal */
    public TargetLock(ConfigParameterStore store, OdooTransport transport, Journal journal, String owner,
                      Duration lease, Clock clock, java.util.function.UnaryOperator<String> redact) {
        this.redact = redact;
        this.store = store;
        this.transport = transport;
        this.journal = journal;
        this.owner = owner;
        this.lease = lease;
        this.clock = clock;
    }

    public String owner() {
        return owner;
    }

    /** The lock row as it is now, judged on the server's clock; empty when nobody holds it. */
    public Optional<LockState> read() throws OdooException {
        Optional<ConfigParameter> row = store.find(LockValue.KEY);
        Instant serverNow = transport.serverTime().orElseGet(clock::instant);
        return row.map(r -> new LockState(r, LockValue.parse(r.value()), serverNow, lease));
    }

    /**
     * Takes the lock: creates it when free, adopts this owner's own row (left by an earlier run), or
     * takes over a row whose lease expired. Throws {@link LockBusy} while another writer holds it.
     */
    public Held acquire(String purpose) throws OdooException, IOException, LockBusy {
        LockState last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<LockState> found = read();
            if (found.isEmpty()) {
                Optional<Held> created = create(purpose, null, "lock.take", null);
                if (created.isPresent()) {
                    return created.get();
                }
                continue;
            }
            last = found.get();
            if (last.ownedBy(owner)) {
                return adopt(last, purpose);
            }
            if (!last.expired()) {
                throw new LockBusy(last);
            }
            Map<String, Object> details = describe(last);
            long seq = journal.intent("lock.takeover", "the lease of " + last.owner() + " expired "
                    + last.age().minus(lease).toSeconds() + " s ago", null, List.of(), details);
            boolean deleted = unlinkJournaled(seq, last.row().id());
            if (!deleted) {
                continue; // someone else took it over first; look again
            }
            Optional<Held> created = create(purpose, last.hold().orElse(null), "lock.take",
                    "after taking over from " + last.owner());
            if (created.isPresent()) {
                return created.get();
            }
        }
        throw new LockBusy(last != null ? last : read().orElseThrow(() -> new IllegalStateException("lock vanished")));
    }

    /**
     * Checks the row is still ours (a read, skipped within {@link #RECHECK} of the last time it was seen ours), and
     * renews the lease (a write) only once half of it has passed.
     * Every write to ir.config_parameter makes Odoo clear its caches: the next request of every worker is
     * slow (0.5 s on 2 cores, measured on 18.0), so a batch writes the row as seldom as safety allows.
     */
    public Held confirm(Held held) throws OdooException, IOException, LockLost {
        if (seenRow == held.rowId() && seenAt != null) {
            // seen ours moments ago, far from half its lease: no watchdog may take a row over before its lease
            // ends, so a read now would tell nothing new (only an admin deleting the row by hand, noticed at
            // the next check). Saves a request per chunk of a retry group.
            Duration since = Duration.between(seenAt, clock.instant());
            if (!since.isNegative() && since.compareTo(RECHECK) < 0
                    && seenAge.plus(since).compareTo(lease.dividedBy(2)) < 0) {
                return held;
            }
        }
        Optional<LockState> now = read();
        if (now.isEmpty() || now.get().row().id() != held.rowId() || !now.get().ownedBy(owner)) {
            throw new LockLost("the lock of this database is no longer held by " + owner
                    + now.map(s -> "; it is held by " + s.owner()).orElse("; it is gone"));
        }
        if (now.get().age().compareTo(lease.dividedBy(2)) < 0) {
            seen(held.rowId(), now.get().age());
            return held;
        }
        return record(held, held.value().hold());
    }

    /** A confirm within this long of the last time the row was seen ours (and far from half its lease) reads nothing. */
    static final Duration RECHECK = Duration.ofSeconds(10);

    private int seenRow = -1;
    private Instant seenAt;
    private Duration seenAge;

    private void seen(int rowId, Duration age) {
        seenRow = rowId;
        seenAt = clock.instant();
        seenAge = age;
    }

    /** Records the hold (or clears it with null) in the row; renews the lease. Checks the row is still ours first. */
    public Held record(Held held, LockValue.Hold hold) throws OdooException, IOException, LockLost {
        Optional<LockState> now = read();
        if (now.isEmpty() || now.get().row().id() != held.rowId() || !now.get().ownedBy(owner)) {
            throw new LockLost("the lock of this database is no longer held by " + owner
                    + now.map(s -> "; it is held by " + s.owner()).orElse("; it is gone"));
        }
        LockValue value = held.value().withHold(hold);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("row", held.rowId());
        details.put("hold", hold == null ? "cleared" : hold);
        long seq = journal.intent("lock.hold", hold == null ? "the cron is restored" : "the cron is about to be held",
                null, hold == null ? List.of() : hold.ids(), details);
        try {
            store.write(held.rowId(), value.json());
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
            throw e;
        }
        // Odoo answers True to a write on a deleted id: read back that the row is still ours
        Optional<LockState> after;
        try {
            after = read();
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, "written, but not read back: " + redact.apply(e.getMessage()), Map.of());
            throw e;
        }
        if (after.isEmpty() || after.get().row().id() != held.rowId() || !after.get().ownedBy(owner)) {
            journal.outcome(seq, Outcome.FAILED, "the lock was taken over meanwhile", Map.of());
            throw new LockLost("the lock of this database was taken over by "
                    + after.map(LockState::owner).orElse("nobody (it is gone)") + " while " + owner + " wrote to it");
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of());
        seen(held.rowId(), after.get().age());
        return new Held(held.rowId(), value, held.inherited());
    }

    /** Deletes this writer's row. Only when no hold is left in it: a held cron must stay recorded. */
    public void release(Held held) throws OdooException, IOException {
        long seq = journal.intent("lock.release", "the write is done", null, List.of(), Map.of("row", held.rowId()));
        unlinkJournaled(seq, held.rowId());
    }

    private boolean unlinkJournaled(long seq, int rowId) throws OdooException, IOException {
        boolean deleted;
        try {
            deleted = store.unlink(rowId);
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
            throw e;
        }
        journal.outcome(seq, deleted ? Outcome.DONE : Outcome.FAILED, deleted ? null : "the row was gone already",
                Map.of());
        return deleted;
    }

    private Held adopt(LockState mine, String purpose) throws OdooException, IOException {
        LockValue value = new LockValue(owner, purpose, host(), pid(), clock.instant(), mine.hold().orElse(null));
        long seq = journal.intent("lock.adopt", "this owner's row from an earlier run", null, List.of(), describe(mine));
        try {
            store.write(mine.row().id(), value.json());
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
            throw e;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of());
        return new Held(mine.row().id(), value, mine.hold());
    }

    private Optional<Held> create(String purpose, LockValue.Hold carried, String action, String why)
            throws OdooException, IOException {
        LockValue value = new LockValue(owner, purpose, host(), pid(), clock.instant(), carried);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("key", LockValue.KEY);
        details.put("owner", owner);
        if (carried != null) {
            details.put("hold", carried);
        }
        long seq = journal.intent(action, why == null ? purpose : purpose + ", " + why, null, List.of(), details);
        int id;
        try {
            id = store.create(LockValue.KEY, value.json());
        } catch (ConfigParameterStore.KeyTaken taken) {
            journal.outcome(seq, Outcome.FAILED, "another writer created it first", Map.of());
            return Optional.empty();
        } catch (OdooException e) {
            journal.outcome(seq, Outcome.UNKNOWN, redact.apply(e.getMessage()), Map.of());
            throw e;
        }
        journal.outcome(seq, Outcome.DONE, null, Map.of("row", id));
        return Optional.of(new Held(id, value, Optional.ofNullable(carried)));
    }

    private static Map<String, Object> describe(LockState state) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("row", state.row().id());
        details.put("owner", state.owner());
        details.put("age_seconds", state.age().toSeconds());
        state.hold().ifPresent(h -> details.put("hold", h));
        return details;
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
