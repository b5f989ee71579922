package io.mailwatchdog.probe;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.lock.LockState;
import io.mailwatchdog.lock.LockValue;
import io.mailwatchdog.odoo.ConfigParameter;
import io.mailwatchdog.odoo.ConfigParameterStore;
import io.mailwatchdog.odoo.CronProgress;
import io.mailwatchdog.odoo.CronProgressReader;
import io.mailwatchdog.odoo.CronRecord;
import io.mailwatchdog.odoo.DatabaseStateReader;
import io.mailwatchdog.odoo.DueHourGroup;
import io.mailwatchdog.odoo.DueMail;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.LoginRefused;
import io.mailwatchdog.odoo.MailCronReader;
import io.mailwatchdog.odoo.MailQueueReader;
import io.mailwatchdog.odoo.MailServerReader;
import io.mailwatchdog.odoo.MailServerRecord;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooResponseTooLarge;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.odoo.OdooVersion;
import io.mailwatchdog.odoo.SmtpTestOutcome;
import io.mailwatchdog.odoo.SmtpTestVerdict;
import io.mailwatchdog.odoo.TransportOptions;
import io.mailwatchdog.odoo.XmlRpcOdooTransport;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one {@link Snapshot} of one target. Read only: nothing here writes to Odoo. The number of
 * requests is constant whatever the queue size: 3 to open the session (version, authenticate, the
 * cron's XML id), 9 reads (10 on 18.0+, which records cron runs in progress), at most 2 exact counts
 * when more exceptions failed than the sample holds, and one SMTP test per distinct server login.
 */
public final class Probe {

    private static final Logger LOG = LoggerFactory.getLogger(Probe.class);
    /** Rows of the oldest-due sample: enough that a few mails scheduled later cannot hide the oldest. */
    static final int OLDEST_SAMPLE = 100;
    /** Below this, a connection test cannot say anything useful about a server. */
    static final Duration MIN_SMTP_TEST = Duration.ofSeconds(5);

    private final Clock clock;
    private final LoginParking parking;
    private final SmtpTestMemory smtpMemory;
    private final SmtpMode smtpMode;
    private final Function<TargetSettings, OdooSession> sessions;

    /**
     * How a probe treats the SMTP servers: RUN tests them now (check), REMEMBERED shows the results of the
     * daemon's own SMTP test job from state-dir, OFF shows them untested.
     */
    public enum SmtpMode { RUN, REMEMBERED, OFF }

    public Probe(Clock clock, LoginParking parking, SmtpTestMemory smtpMemory, boolean smtpTests) {
        this(clock, parking, smtpMemory, smtpTests ? SmtpMode.RUN : SmtpMode.OFF, Probe::newSession);
    }

    /** @param sessions the session of a target: a new one per probe (check), or one kept per target (the daemon) */
    public Probe(Clock clock, LoginParking parking, SmtpTestMemory smtpMemory, SmtpMode smtpMode,
                 Function<TargetSettings, OdooSession> sessions) {
        this.clock = clock;
        this.parking = parking;
        this.smtpMemory = smtpMemory;
        this.smtpMode = smtpMode;
        this.sessions = sessions;
    }

    public static OdooSession newSession(TargetSettings t) {
        return new OdooSession(transportFor(t), t.database(), t.login(), t.secret().reveal());
    }

    public static OdooTransport transportFor(TargetSettings t) {
        return new XmlRpcOdooTransport(new TransportOptions(t.url(), t.timeouts().connect(), t.timeouts().reply(),
                t.probe().maxResponseBytes(), t.tls().caFile()));
    }

    /** Probes one target; SMTP tests are cut short so that the probe ends before {@code deadline}. */
    public Snapshot probe(TargetSettings target, Instant deadline) {
        Instant started = clock.instant();
        String identity = LoginParking.identity(target.url().toString(), target.database(), target.login(),
                target.secret().reveal());
        Optional<LoginParking.Parked> parked = parking.parkedFor(target.name(), identity);
        if (parked.isPresent()) {
            return failed(target, started, 0, null, new ProbeFailure("login-parked",
                    "login parked since " + parked.get().since() + " after Odoo refused it (" + parked.get().reason()
                            + "); not retried until the secret or config changes, or `check --unpark`"));
        }
        OdooSession session;
        try {
            session = sessions.apply(target);
        } catch (RuntimeException e) {
            return failed(target, started, 0, null, new ProbeFailure("internal", "cannot set up the connection: " + e.getMessage()));
        }
        OdooTransport transport = session.transport();
        long requestsBefore = transport.requestCount();
        String version = null;
        try {
            OdooVersion v = session.version();
            version = v.label();
            session.login();
            return read(target, session, v, started, deadline, requestsBefore);
        } catch (LoginRefused refused) {
            park(target, identity, refused.getMessage(), started);
            return failed(target, started, transport.requestCount() - requestsBefore, version,
                    new ProbeFailure("login-refused", refused.getMessage()));
        } catch (OdooFault.OdooAccessError rights) {
            return failed(target, started, transport.requestCount() - requestsBefore, version, new ProbeFailure("access-error",
                    rights.getMessage() + " (the watchdog's user needs the Settings group)"));
        } catch (OdooException e) {
            return failed(target, started, transport.requestCount() - requestsBefore, version, new ProbeFailure(e.kind(), e.getMessage()));
        } catch (RuntimeException bug) {
            LOG.error("probe of {} failed unexpectedly: {}", target.name(), bug.toString());
            LOG.debug("the failure's stack", bug);
            return failed(target, started, transport.requestCount() - requestsBefore, version,
                    new ProbeFailure("internal", "internal error: " + bug));
        }
    }

    private Snapshot read(TargetSettings target, OdooSession session, OdooVersion version, Instant started, Instant deadline,
                          long requestsBefore) throws OdooException {
        Instant now = clock.instant();
        List<String> partial = new ArrayList<>();
        if (!version.supported()) {
            partial.add("Odoo " + version.label() + " is not a tested version (16.0 to 19.0); results may be incomplete");
        }
        MailCronReader cronReader = new MailCronReader(session);
        Optional<Integer> cronId = cronReader.resolveId();

        QueueSnapshot queueSnapshot = readQueue(new MailQueueReader(session), target.probe().exceptionSample(), now, partial);

        SchedulerSnapshot scheduler = cronId.isEmpty() ? SchedulerSnapshot.missing()
                : cronReader.read(cronId.get()).map(c -> scheduler(c, now)).orElse(SchedulerSnapshot.missing());
        scheduler = withRunAndHold(session, scheduler, target.lock().lease(), now);

        MailServerReader servers = new MailServerReader(session);
        List<MailServerRecord> records = servers.activeServers();
        DatabaseStateReader databaseReader = new DatabaseStateReader(session);
        boolean neutralized = databaseReader.neutralized();
        List<String> pending = List.of();
        try {
            pending = databaseReader.modulesPendingOperation();
        } catch (OdooFault fault) {
            partial.add("cannot list modules waiting for an operation: " + fault.lastLine());
        }
        List<ServerSnapshot> serverSnapshots = testServers(target, servers, records, neutralized, deadline);
        return new Snapshot(target.name(), started, Duration.between(started, clock.instant()),
                session.transport().requestCount() - requestsBefore, version.label(), null, queueSnapshot, scheduler,
                serverSnapshots, new DatabaseSnapshot(neutralized, pending), List.copyOf(partial));
    }

    /** Counts, ages and failures of the queue: 4 requests, plus 2 exact counts when the sample overflows. */
    private static QueueSnapshot readQueue(MailQueueReader queue, int limit, Instant now, List<String> partial)
            throws OdooException {
        MailStateCounts counts = queue.countByState();
        List<DueMail> oldestSample = queue.oldestDue(now, OLDEST_SAMPLE);
        List<DueHourGroup> groups;
        try {
            groups = queue.dueByHour(now);
        } catch (OdooResponseTooLarge | OdooFault.OdooServerError | OdooFault.OdooUserError e) {
            // A backlog spread over thousands of hours can outgrow the reply cap: keep the rest of the probe.
            partial.add("no age histogram: " + e.getMessage());
            groups = null;
        }
        List<FailedMail> failures = queue.latestExceptions(limit);
        int lastHour = exceptionsSince(queue, failures, limit, now.minus(Duration.ofHours(1)));
        int lastDay = exceptionsSince(queue, failures, limit, now.minus(Duration.ofHours(24)));
        List<DueHourGroup> known = groups == null ? List.of() : groups;
        // Without the groups, "due" falls back to every outgoing mail (future-scheduled included).
        int due = groups == null ? counts.get("outgoing") : known.stream().mapToInt(DueHourGroup::count).sum();
        QueueShaper.Oldest oldest = due == 0 ? new QueueShaper.Oldest(null, 0)
                : QueueShaper.oldestDue(oldestSample, known, now);
        return new QueueSnapshot(counts, due, oldest.id(), oldest.ageSeconds(), QueueShaper.histogram(known, now),
                lastHour, lastDay, failures.size(), limit, QueueShaper.signatures(failures));
    }

    private static int exceptionsSince(MailQueueReader queue, List<FailedMail> sample, int limit, Instant since)
            throws OdooException {
        return QueueShaper.sampleTooSmallFor(sample, limit, since) ? queue.countExceptionsSince(since)
                : QueueShaper.countSince(sample, since);
    }

    /**
     * Adds what a bare cron read cannot tell: a run in progress (18.0+, ir.cron.progress) and a hold by
     * a watchdog (the lock row), so that a cron held for a flush never shows as inactive. 1 request,
     * 2 on 18.0+.
     */
    private SchedulerSnapshot withRunAndHold(OdooSession session, SchedulerSnapshot scheduler, Duration lease,
                                             Instant now) throws OdooException {
        if (!scheduler.found()) {
            return scheduler;
        }
        Optional<CronProgress> progress = new CronProgressReader(session).latest(scheduler.id());
        if (progress.isPresent() && progress.get().createdAt() != null
                && (scheduler.lastcall() == null || progress.get().createdAt().isAfter(scheduler.lastcall()))) {
            scheduler = scheduler.withRunningSince(progress.get().createdAt());
        }
        Optional<ConfigParameter> row = new ConfigParameterStore(session).find(LockValue.KEY);
        if (row.isPresent()) {
            LockState state = new LockState(row.get(), LockValue.parse(row.get().value()),
                    session.transport().serverTime().orElse(now), lease);
            Optional<LockValue.Hold> hold = state.hold();
            if (hold.isPresent() && hold.get().cronId() == scheduler.id()) {
                scheduler = scheduler.withHold(new SchedulerSnapshot.Hold(state.owner(), hold.get().since(),
                        hold.get().priorActive(), hold.get().ids().size(), state.expired()));
            }
        }
        return scheduler;
    }

    static SchedulerSnapshot scheduler(CronRecord c, Instant now) {
        long overdue = c.nextcall() == null ? 0 : Math.max(0, Duration.between(c.nextcall(), now).toSeconds());
        return new SchedulerSnapshot(true, c.id(), c.name(), c.active(), c.nextcall(), c.lastcall(),
                c.intervalNumber() + " " + c.intervalType(), intervalSeconds(c.intervalNumber(), c.intervalType()),
                c.numbercall(), c.failureCount(), c.firstFailureDate(), overdue);
    }

    static long intervalSeconds(int number, String type) {
        long unit = switch (type == null ? "" : type) {
            case "minutes" -> 60;
            case "hours" -> 3600;
            case "days" -> 86_400;
            case "weeks" -> 7 * 86_400;
            case "months" -> 30 * 86_400;
            default -> 0;
        };
        return number * unit;
    }

    /**
     * Tests each distinct SMTP login once, in parallel, each within what is left of the run's time (a
     * silent SMTP server holds Odoo's test for 60 s). A refused login is reused from memory during
     * its backoff instead of logging in again.
     */
    private List<ServerSnapshot> testServers(TargetSettings target, MailServerReader reader, List<MailServerRecord> records,
                                             boolean neutralized, Instant deadline) throws OdooException {
        if (smtpMode == SmtpMode.REMEMBERED && target.probe().smtpTest() && !neutralized) {
            return remembered(target, records);
        }
        boolean testing = smtpMode == SmtpMode.RUN && target.probe().smtpTest() && !neutralized;
        Instant now = clock.instant();
        Map<String, SmtpTestMemory.Result> memory = testing ? smtpMemory.load(target.name()) : Map.of();
        Map<String, MailServerRecord> firstOfLogin = new LinkedHashMap<>();
        records.forEach(r -> firstOfLogin.putIfAbsent(r.loginKey(), r));
        Map<String, ServerSnapshot.SmtpTest> byLogin = new LinkedHashMap<>();
        Map<String, SmtpTestMemory.Result> next = new LinkedHashMap<>();
        if (testing) {
            // A test gets its configured time, or what is left of the run's when that is shorter. Cut
            // short by the run, no answer says nothing about the server: the test is "unfinished".
            Duration configured = target.timeouts().smtpTest();
            Duration left = Duration.between(now, deadline).minusSeconds(2);
            boolean cut = left.compareTo(configured) < 0;
            Duration each = cut ? (left.isNegative() ? Duration.ZERO : left) : configured;
            Map<String, Future<SmtpTestVerdict>> running = new LinkedHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, firstOfLogin.size())));
            try {
                for (MailServerRecord r : firstOfLogin.values()) {
                    Optional<SmtpTestMemory.Result> cached = SmtpTestMemory.reusableRefusal(memory, r.revision(), now,
                            target.probe().smtpAuthRetestAfter());
                    if (cached.isPresent()) {
                        SmtpTestMemory.Result c = cached.get();
                        byLogin.put(r.loginKey(), new ServerSnapshot.SmtpTest(c.outcome(), c.failureClass(), c.detail(),
                                c.testedAt(), c.testedAt()));
                        next.put(r.revision(), c);
                    } else if (each.compareTo(MIN_SMTP_TEST) < 0) {
                        byLogin.put(r.loginKey(), unfinished(left));
                    } else {
                        running.put(r.loginKey(), pool.submit(() -> reader.test(r.id(), each)));
                    }
                }
                for (Map.Entry<String, Future<SmtpTestVerdict>> e : running.entrySet()) {
                    SmtpTestVerdict verdict = await(e.getValue());
                    if (cut && verdict.outcome() == SmtpTestOutcome.FAIL && MailServerReader.isNoAnswer(verdict)) {
                        byLogin.put(e.getKey(), unfinished(each));
                        continue;
                    }
                    Instant at = clock.instant();
                    SmtpTestMemory.Result result = new SmtpTestMemory.Result(verdict.outcome().name(),
                            verdict.failureClass() == null ? null : verdict.failureClass().name(), verdict.detail(), at);
                    byLogin.put(e.getKey(), new ServerSnapshot.SmtpTest(result.outcome(), result.failureClass(),
                            result.detail(), at, null));
                    next.put(firstOfLogin.get(e.getKey()).revision(), result);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        List<ServerSnapshot> out = new ArrayList<>();
        for (MailServerRecord r : records) {
            ServerSnapshot.SmtpTest test = testing ? byLogin.get(r.loginKey())
                    : new ServerSnapshot.SmtpTest("NOT_TESTED", null, neutralized
                            ? "not tested: the database is neutralized" : "not tested (SMTP tests are off)", null, null);
            out.add(new ServerSnapshot(r.id(), r.name(), r.host(), r.port(), r.user(), r.encryption(), r.sequence(),
                    r.fromFilter(), test));
        }
        if (testing) {
            try {
                smtpMemory.save(target.name(), next);
            } catch (IOException e) {
                LOG.warn("cannot remember SMTP test results of {}: {}", target.name(), e.getMessage());
            }
        }
        return out;
    }

    /** The latest result of the SMTP test job per server revision; a changed server shows untested until its next test. */
    private List<ServerSnapshot> remembered(TargetSettings target, List<MailServerRecord> records) {
        Map<String, SmtpTestMemory.Result> memory = smtpMemory.load(target.name());
        // one test per distinct login, remembered under the revision of the first server with that login
        Map<String, MailServerRecord> firstOfLogin = new LinkedHashMap<>();
        records.forEach(r -> firstOfLogin.putIfAbsent(r.loginKey(), r));
        List<ServerSnapshot> out = new ArrayList<>();
        for (MailServerRecord r : records) {
            SmtpTestMemory.Result m = memory.get(firstOfLogin.get(r.loginKey()).revision());
            ServerSnapshot.SmtpTest test = m == null
                    ? new ServerSnapshot.SmtpTest("NOT_TESTED", null, "not tested yet: the SMTP test job runs every "
                            + target.schedule().smtpTestInterval().toSeconds() + " s", null, null)
                    : new ServerSnapshot.SmtpTest(m.outcome(), m.failureClass(), m.detail(), m.testedAt(), m.testedAt());
            out.add(new ServerSnapshot(r.id(), r.name(), r.host(), r.port(), r.user(), r.encryption(), r.sequence(),
                    r.fromFilter(), test));
        }
        return out;
    }

    /**
     * The daemon's SMTP test job: tests every active server of the target now (each distinct login once)
     * and remembers the results in state-dir, where {@link SmtpMode#REMEMBERED} probes read them.
     * Nothing is tested on a neutralized database or while the login is parked.
     */
    public List<ServerSnapshot> testSmtpNow(TargetSettings target, Instant deadline) throws OdooException {
        String identity = LoginParking.identity(target.url().toString(), target.database(), target.login(),
                target.secret().reveal());
        if (parking.parkedFor(target.name(), identity).isPresent() || !target.probe().smtpTest()) {
            return List.of();
        }
        OdooSession session = sessions.apply(target);
        try {
            session.version();
            session.login();
            MailServerReader servers = new MailServerReader(session);
            boolean neutralized = new DatabaseStateReader(session).neutralized();
            if (neutralized) {
                return List.of();
            }
            Probe runner = new Probe(clock, parking, smtpMemory, SmtpMode.RUN, t -> session);
            return runner.testServers(target, servers, servers.activeServers(), false, deadline);
        } catch (LoginRefused refused) {
            park(target, identity, refused.getMessage(), clock.instant());
            throw refused;
        }
    }

    private static ServerSnapshot.SmtpTest unfinished(Duration left) {
        return new ServerSnapshot.SmtpTest("UNFINISHED", null, "not finished: only " + Math.max(0, left.toSeconds())
                + " s of the run's time were left; raise --timeout (or check.timeout) above timeouts.smtp-test",
                null, null);
    }

    private static SmtpTestVerdict await(Future<SmtpTestVerdict> future) throws OdooException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.mailwatchdog.odoo.OdooTimeout("interrupted while waiting for an SMTP test");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OdooException oe) {
                throw oe;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void park(TargetSettings target, String identity, String reason, Instant now) {
        try {
            parking.park(target.name(), identity, reason, now);
        } catch (IOException e) {
            LOG.warn("cannot record the parked login of {} in state-dir: {}", target.name(), e.getMessage());
        }
    }

    private Snapshot failed(TargetSettings target, Instant started, long requests, String version, ProbeFailure failure) {
        return new Snapshot(target.name(), started, Duration.between(started, clock.instant()), requests, version,
                failure, null, null, List.of(), null, List.of());
    }
}
