package io.mailwatchdog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.act.Pause;
import io.mailwatchdog.act.RetryBatch;
import io.mailwatchdog.act.RetryRun;
import io.mailwatchdog.act.TargetWriter;
import io.mailwatchdog.config.RetrySettings;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.odoo.CronRecord;
import io.mailwatchdog.odoo.FailedMail;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.odoo.MailCronReader;
import io.mailwatchdog.odoo.MailFailureClassifier;
import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.OdooTransport;
import io.mailwatchdog.odoo.OdooValues;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.recovery.RetryHistory;
import io.mailwatchdog.recovery.RetryPlan;
import io.mailwatchdog.recovery.RetryPlanner;
import io.mailwatchdog.recovery.RetryRequest;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.OwnerId;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * The retry benchmark of issue 5 ({@code bench/retry.sh}; bench/README.md, section "Retry benchmark"). Three parts,
 * each reported as numbers measured in one run of this program, never as a timed unit test:
 * <ol>
 *   <li><b>sim</b>: the safe retry's throughput (mails delivered per second over a whole {@link RetryRun#run}, pacing
 *       off) as a ratio to Odoo's own {@code process_email_queue} throughput, both against one simulated 18.0
 *       database that sends to a real SMTP server (GreenMail, in this JVM), in the same run: the same number of mails,
 *       made outgoing and sent by {@code process_email_queue(ids)} in batches of the retry's chunk-size (the
 *       like-for-like baseline) and in one call with all ids (Odoo at its best). Repeated, the order alternating;
 *       no mail may be delivered twice. The retry's own time is split by where it goes (every XML-RPC call timed by
 *       method; the rest split by sampling the retry thread's stack every millisecond in one more, profiled run that
 *       is not in the ratios: the sampler slows Odoo on a 2-core machine).</li>
 *   <li><b>real</b>: the same against a real Odoo (ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD, as RealOdooIT takes
 *       them; skipped with a message when ODOO_URL is unset), sending to the harness's SMTP sink, whose index.jsonl
 *       counts the deliveries; every row and the mail server it creates are removed at the end.</li>
 *   <li><b>plan</b>: CPU, allocation and retained heap of {@link RetryPlanner#plan} over 100,000 exceptions and of
 *       {@link RetryHistory#from} over a journal of 5,000 requeues of 100 ids (in memory, and read from its file as
 *       RetryRun does before each batch); whether a plan of that size fits the daemon's heap (a child JVM with the
 *       systemd unit's JAVA_OPTS).</li>
 * </ol>
 * Not a test (no Test/IT suffix: surefire and failsafe leave it alone); compiled by {@code mvn verify}.
 */
public final class RetryBench {

    static final String REFUSED = "111\nConnection refused";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The journal's own line format (Journal.JSON), to write a large journal without an fsync per line. */
    static final ObjectMapper JOURNAL_JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final double MIB = 1024.0 * 1024.0;

    /** The knobs, from the environment (bench/retry.sh documents them). */
    record Options(List<String> parts, int simMails, int realMails, int simReps, int realReps, int chunk, int canary, int simWarmup,
                   int realWarmup, int planMails, int planHistoryIds, int planRuns, int planWarmup, int journalRequeues,
                   List<Integer> fitSizes, long seed, Path out, String stamp, String odooUrl, String odooDb,
                   String odooLogin, String odooPassword, Path sinkDir, long sampleMicros) {

        static Options fromEnvironment() {
            Map<String, String> env = System.getenv();
            String stamp = env.getOrDefault("STAMP",
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()));
            String fit = env.getOrDefault("FIT_SIZES", "100000,200000");
            return new Options(List.of(env.getOrDefault("PARTS", "sim,real,plan").split(",")),
                    num(env, "SIM_MAILS", 2000), num(env, "REAL_MAILS", 500), num(env, "SIM_REPS", num(env, "REPS", 5)),
                    num(env, "REAL_REPS", num(env, "REPS", 5)), num(env, "CHUNK", 100),
                    num(env, "CANARY", 5), num(env, "SIM_WARMUP", 500), num(env, "REAL_WARMUP", 50),
                    num(env, "PLAN_MAILS", 100_000), num(env, "PLAN_HISTORY_IDS", 30_000), num(env, "PLAN_RUNS", 7),
                    num(env, "PLAN_WARMUP", 5), num(env, "JOURNAL_REQUEUES", 5000),
                    fit.isBlank() ? List.of() : Arrays.stream(fit.split(",")).map(String::trim).map(Integer::valueOf).toList(),
                    Long.parseLong(env.getOrDefault("SEED", "5")), Path.of(env.getOrDefault("OUT", "target/bench")), stamp,
                    blankToNull(env.get("ODOO_URL")), env.getOrDefault("ODOO_DB", "watchdog"),
                    env.getOrDefault("ODOO_LOGIN", "admin"), env.getOrDefault("ODOO_PASSWORD", "admin"),
                    Path.of(env.getOrDefault("ODOO_SINK_DIR", "../.odoo-ref/mail-sink")),
                    Long.parseLong(env.getOrDefault("SAMPLE_MICROS", "1000")));
        }

        static int num(Map<String, String> env, String key, int fallback) {
            return Integer.parseInt(env.getOrDefault(key, Integer.toString(fallback)).replace("_", ""));
        }

        static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    final Options o;
    final Path dir;
    final Path jsonl;
    final List<Map<String, Object>> results = new ArrayList<>();
    GreenMail smtp;

    RetryBench(Options o) throws IOException {
        this.o = o;
        this.dir = o.out().resolve("retry-" + o.stamp());
        Files.createDirectories(dir);
        this.jsonl = o.out().resolve("retry-" + o.stamp() + ".jsonl");
    }

    public static void main(String[] args) throws Exception {
        DaemonBench.quietLogs();
        if (args.length >= 2 && args[0].equals("plan-fit")) {
            planFit(Integer.parseInt(args[1]), Options.fromEnvironment());
            return;
        }
        if (args.length == 3 && args[0].equals("journal-fit")) {
            journalFit(Path.of(args[2]));
            return;
        }
        new RetryBench(Options.fromEnvironment()).run();
    }

    void run() throws Exception {
        say("retry bench " + o.stamp() + ": " + Runtime.getRuntime().availableProcessors() + " cores, JVM "
                + System.getProperty("java.vm.version") + " " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", max heap " + Math.round(Runtime.getRuntime().maxMemory() / MIB) + " MiB, parts " + o.parts()
                + ", state dirs under " + dir + "; load average " + loadAverage());
        for (String part : o.parts()) {
            switch (part.trim()) {
                case "sim" -> sim();
                case "real" -> real();
                case "plan" -> plan();
                default -> throw new IllegalArgumentException("unknown part " + part + " (sim, real, plan)");
            }
        }
        say("");
        say("raw: " + jsonl + " (state dirs and journals: " + dir + "/)");
    }

    void record(Map<String, Object> r) throws IOException {
        results.add(r);
        Files.writeString(jsonl, JSON.writeValueAsString(r) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    // =====================================================================================================
    // Throughput: the simulated Odoo
    // =====================================================================================================

    void sim() throws Exception {
        say("");
        say("== sim: throughput, simulated Odoo 18.0 sending to GreenMail (SMTP, this JVM); " + o.simMails()
                + " mails per side, " + o.simReps() + " repetitions (order alternating) after one warm-up of "
                + o.simWarmup() + "; retry: canary " + o.canary() + ", chunk-size " + o.chunk()
                + ", rate-per-minute 0 (pacing off)");
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        List<Map<String, Object>> reps = new ArrayList<>();
        Map<String, Object> profile;
        try {
            if (o.simWarmup() > 0) {
                simRep("warmup", o.simWarmup(), true);
            }
            for (int rep = 1; rep <= o.simReps(); rep++) {
                reps.add(simRep("rep" + rep, o.simMails(), rep % 2 == 1));
            }
            profile = simProfile(o.simMails());
        } finally {
            smtp.stop();
        }
        summarize("sim", reps, profile);
    }

    /** One more retry of n exceptions with the stack sampler on, for where its local time goes; not in the ratios. */
    Map<String, Object> simProfile(int n) throws Exception {
        try (SimulatedOdoo odoo = new SimulatedOdoo(Clock.systemUTC())) {
            SimulatedDatabase db = odoo.addDatabase("profile", "18.0");
            db.userEmail("admin@bench.example.com");
            db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
            List<Integer> failed = db.exceptions(n, null, REFUSED, Instant.now().minus(Duration.ofMinutes(10)));
            Path base = dir.resolve("sim-profile").resolve(db.name());
            TargetSettings target = settings(base, odoo.url(db.name()), db.name(), "admin", "admin").targets().get(0);
            Map<String, Object> p = retry(target, base.resolve("state"), n, null, Set.copyOf(failed), true);
            if (db.deliveryCount() != n || !db.duplicates().isEmpty()) {
                throw new IllegalStateException("profiled retry: " + db.deliveryCount() + " deliveries, duplicates "
                        + db.duplicates());
            }
            smtp.purgeEmailFromAllMailboxes();
            say("   profiled retry (stack sampled every " + o.sampleMicros() + " µs; not in the ratios): " + brief(p));
            record(Map.of("part", "sim", "rep", "profile", "retry", p));
            return p;
        }
    }

    /**
     * One repetition: the three phases on one simulated server, each on a database of its own holding the same rows
     * (n exceptions and n more mails), so that no phase runs on a database the one before it made larger (the
     * simulator searches its rows one by one, and the retry makes ~20 requests per batch).
     */
    Map<String, Object> simRep(String name, int n, boolean baselineFirst) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("part", "sim");
        r.put("rep", name);
        r.put("mails", n);
        try (SimulatedOdoo odoo = new SimulatedOdoo(Clock.systemUTC())) {
            List<String> order = baselineFirst ? List.of("odoo-chunked", "odoo-one-call", "retry")
                    : List.of("retry", "odoo-one-call", "odoo-chunked");
            r.put("order", order);
            Instant failedAt = Instant.now().minus(Duration.ofMinutes(10));
            Map<String, SimulatedDatabase> dbs = new LinkedHashMap<>();
            for (String phase : order) {
                SimulatedDatabase db = odoo.addDatabase(phase.replace("odoo-", ""), "18.0");
                db.userEmail("admin@bench.example.com");
                db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
                dbs.put(phase, db);
            }
            Map<String, Object> states = new LinkedHashMap<>();
            int deliveries = 0;
            int duplicates = 0;
            for (String phase : order) {
                SimulatedDatabase db = dbs.get(phase);
                // an outage fixed: TRANSPORT failures of 10 minutes ago, the server test passes now
                List<Integer> failed = db.exceptions(n, null, REFUSED, failedAt);
                List<Integer> queued = db.queue(n, Instant.now());
                Path base = dir.resolve("sim-" + name).resolve(db.name());
                TargetSettings target = settings(base, odoo.url(db.name()), db.name(), "admin", "admin").targets().get(0);
                Map<String, Object> p = switch (phase) {
                    case "odoo-chunked" -> baseline(phase, target, queued, o.chunk());
                    case "odoo-one-call" -> baseline(phase, target, queued, n);
                    default -> {
                        db.mailState(queued, "sent"); // the same rows as the other databases, sent long ago
                        yield retry(target, base.resolve("state"), n, null, Set.copyOf(failed));
                    }
                };
                r.put(phase, p);
                say("   " + name + " " + phase + ": " + brief(p));
                Map<String, Integer> counts = db.countByState();
                states.put(phase, counts);
                deliveries += db.deliveryCount();
                duplicates += db.duplicates().size();
                boolean retried = phase.equals("retry");
                if (counts.get("sent") != (retried ? 2 * n : n) || counts.get("exception") != (retried ? 0 : n)
                        || counts.get("outgoing") != 0 || !db.duplicates().isEmpty() || db.deliveryCount() != n) {
                    throw new IllegalStateException(name + " " + phase + ": not every mail was delivered exactly once: "
                            + counts + ", " + db.deliveryCount() + " deliveries, duplicates " + db.duplicates());
                }
            }
            r.put("states_after", states);
            r.put("deliveries", deliveries);
            r.put("duplicates", duplicates);
            r.put("smtp_received", smtp.getReceivedMessages().length);
            smtp.purgeEmailFromAllMailboxes();
        }
        ratios(r);
        r.put("load_average", loadAverage());
        say("   " + name + ": " + ratioLine(r) + "; " + r.get("deliveries") + " deliveries (GreenMail received "
                + r.get("smtp_received") + "), duplicates " + r.get("duplicates") + "; load average " + r.get("load_average"));
        record(r);
        return r;
    }

    // =====================================================================================================
    // Throughput: the real Odoo
    // =====================================================================================================

    void real() throws Exception {
        say("");
        if (o.odooUrl() == null) {
            say("== real Odoo: skipped, ODOO_URL is not set (set ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_PASSWORD, and"
                    + " ODOO_SINK_DIR to the SMTP sink's folder, as for RealOdooIT)");
            record(Map.of("part", "real", "skipped", "ODOO_URL is not set"));
            return;
        }
        Path index = o.sinkDir().resolve("index.jsonl");
        say("== real Odoo: " + o.odooUrl() + " db " + o.odooDb() + "; " + o.realMails() + " mails per side, " + o.realReps()
                + " repetitions (order alternating) after one warm-up of " + o.realWarmup() + "; an ir.mail_server to the"
                + " SMTP sink 127.0.0.1:2525, deliveries counted in " + index);
        RealOdoo odoo = new RealOdoo(o, index);
        List<Map<String, Object>> reps = new ArrayList<>();
        Map<String, Object> profile = null;
        try {
            odoo.setUp();
            if (o.realWarmup() > 0) {
                realRep(odoo, "warmup", o.realWarmup(), true);
            }
            for (int rep = 1; rep <= o.realReps(); rep++) {
                reps.add(realRep(odoo, "rep" + rep, o.realMails(), rep % 2 == 1));
            }
            profile = realProfile(odoo, o.realMails());
            Map<String, Integer> sink = odoo.sinkCounts();
            int expected = odoo.recipients.size();
            long dupes = sink.values().stream().filter(c -> c > 1).count();
            long missing = odoo.recipients.stream().filter(rc -> !sink.containsKey(rc)).count();
            say("   sink: " + sink.size() + " of " + expected + " bench recipients received, " + missing + " missing, "
                    + dupes + " more than once");
            record(Map.of("part", "real", "rep", "sink", "recipients", expected, "received", sink.size(), "missing", missing,
                    "duplicates", dupes));
            if (dupes > 0 || missing > 0) {
                throw new IllegalStateException("real Odoo: " + dupes + " recipients received twice, " + missing + " missing");
            }
            reps.forEach(r -> r.put("duplicates", "0 (sink)"));
        } finally {
            odoo.cleanUp();
        }
        summarize("real", reps, profile);
    }

    /** One more retry of n exceptions with the stack sampler on, for where its local time goes; not in the ratios. */
    Map<String, Object> realProfile(RealOdoo odoo, int n) throws Exception {
        Instant since = odoo.serverNow().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        List<Integer> failed = odoo.createMails("profile-x", n, true);
        Path base = dir.resolve("real-profile");
        TargetSettings target = settings(base, o.odooUrl(), o.odooDb(), o.odooLogin(), o.odooPassword()).targets().get(0);
        Map<String, Object> p = retry(target, base.resolve("state"), n, since, Set.copyOf(failed), true);
        Map<String, Integer> states = odoo.states(failed);
        if (states.getOrDefault("sent", 0) != n) {
            throw new IllegalStateException("profiled retry: not all sent: " + states);
        }
        say("   profiled retry (stack sampled every " + o.sampleMicros() + " µs; not in the ratios): " + brief(p));
        record(Map.of("part", "real", "rep", "profile", "retry", p));
        return p;
    }

    Map<String, Object> realRep(RealOdoo odoo, String name, int n, boolean baselineFirst) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("part", "real");
        r.put("rep", name);
        r.put("mails", n);
        Instant since = odoo.serverNow().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        long c0 = System.nanoTime();
        List<Integer> failed = odoo.createMails(name + "-x", n, true);
        r.put("create_exceptions_s", round((System.nanoTime() - c0) / 1e9, 2));
        Path base = dir.resolve("real-" + name);
        TargetSettings target = settings(base, o.odooUrl(), o.odooDb(), o.odooLogin(), o.odooPassword()).targets().get(0);
        List<String> order = baselineFirst ? List.of("odoo-chunked", "odoo-one-call", "retry")
                : List.of("retry", "odoo-one-call", "odoo-chunked");
        r.put("order", order);
        for (String phase : order) {
            Map<String, Object> p;
            if (phase.equals("retry")) {
                p = retry(target, base.resolve("state"), n, since, Set.copyOf(failed));
            } else {
                // Odoo's own throughput with its cron held (so that it cannot send the rows beside the call): the
                // hold is not timed, the retry's own holds are
                odoo.holdCron();
                try {
                    List<Integer> ids = odoo.createMails(name + "-" + (phase.equals("odoo-chunked") ? "c" : "o"), n, false);
                    p = baseline(phase, target, ids, phase.equals("odoo-chunked") ? o.chunk() : n);
                } finally {
                    odoo.restoreCron();
                }
            }
            r.put(phase, p);
            say("   " + name + " " + phase + ": " + brief(p));
        }
        Map<String, Integer> states = odoo.states(odoo.createdOf(name));
        r.put("states_after", states);
        if (states.getOrDefault("sent", 0) != 3 * n) {
            throw new IllegalStateException(name + ": not all sent: " + states);
        }
        ratios(r);
        r.put("load_average", loadAverage());
        say("   " + name + ": " + ratioLine(r) + "; states " + states + "; load average " + r.get("load_average"));
        record(r);
        return r;
    }

    /** The real Odoo: the fixture rows it creates there, the cron it holds, and the clean-up. */
    static final class RealOdoo {
        final Options o;
        final Path index;
        final OdooSession session;
        final Map<String, List<Integer>> created = new LinkedHashMap<>();
        final List<String> recipients = new ArrayList<>();
        int uid;
        int partnerId;
        Object originalEmail;
        boolean emailChanged;
        int serverId;
        int cronId;
        CronRecord originalCron;
        boolean cronHeld;
        long sinkOffset;
        final String tag;

        RealOdoo(Options o, Path index) {
            this.o = o;
            this.index = index;
            this.tag = "rb-" + o.stamp().toLowerCase(Locale.ROOT);
            this.session = new OdooSession(new io.mailwatchdog.odoo.XmlRpcOdooTransport(new io.mailwatchdog.odoo.TransportOptions(
                    java.net.URI.create(o.odooUrl()), Duration.ofSeconds(10), Duration.ofMinutes(10),
                    io.mailwatchdog.odoo.TransportOptions.DEFAULT_MAX_RESPONSE_BYTES, Optional.empty())),
                    o.odooDb(), o.odooLogin(), o.odooPassword());
        }

        void setUp() throws Exception {
            if (!Files.isRegularFile(index)) {
                throw new IllegalStateException("no " + index + ": set ODOO_SINK_DIR to the harness's SMTP sink folder");
            }
            sinkOffset = Files.size(index);
            uid = session.login();
            Map<String, Object> user = OdooValues.records(session.execute("res.users", "read", List.of(List.of(uid)),
                    Map.of("fields", List.of("partner_id", "email"))), "res.users").get(0);
            partnerId = (Integer) ((Object[]) user.get("partner_id"))[0];
            originalEmail = user.get("email");
            if (OdooValues.isEmpty(originalEmail)) {
                // Odoo's SMTP test sends from the login's email
                emailChanged = true;
                session.execute("res.users", "write", List.of(List.of(uid), Map.of("email", "admin@example.com")), Map.of());
            }
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("name", "watchdog-retry-bench " + o.stamp());
            server.put("smtp_host", "127.0.0.1");
            server.put("smtp_port", 2525);
            server.put("smtp_encryption", "none");
            server.put("sequence", 50);
            serverId = id(session.execute("ir.mail_server", "create", List.of(server), Map.of()));
            MailCronReader cron = new MailCronReader(session);
            cronId = cron.resolveId().orElseThrow(() -> new IllegalStateException("no mail cron"));
            originalCron = cron.read(cronId).orElseThrow();
            List<Map<String, Object>> others = OdooValues.records(session.execute("ir.mail_server", "search_read",
                    List.of(List.of(List.of("id", "!=", serverId))), Map.of("fields", List.of("name", "smtp_port"))), "servers");
            say("   set up: mail server " + serverId + " -> 127.0.0.1:2525" + (others.isEmpty() ? ""
                    : "; other active servers (their SMTP tests gate the retry too): " + others) + "; mail cron " + cronId
                    + " active " + originalCron.active() + ", nextcall " + originalCron.nextcall());
        }

        Instant serverNow() throws OdooException {
            session.execute("res.users", "read", List.of(List.of(uid)), Map.of("fields", List.of("id")));
            return session.transport().serverTime().orElseGet(Instant::now);
        }

        /** n mail.mail rows linked to admin's partner (so they can be unlinked), one recipient each. */
        List<Integer> createMails(String what, int n, boolean exception) throws OdooException {
            List<Integer> ids = new ArrayList<>();
            for (int from = 0; from < n; from += 100) {
                List<Map<String, Object>> values = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + 100); i++) {
                    String rcpt = tag + "-" + what + "-" + i + "@watchdog.test";
                    recipients.add(rcpt);
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("subject", "watchdog retry bench " + what + " " + i);
                    v.put("body_html", "<p>watchdog retry bench</p>");
                    v.put("email_from", "watchdog-bench@example.com");
                    v.put("email_to", rcpt);
                    v.put("auto_delete", false);
                    v.put("model", "res.partner");
                    v.put("res_id", partnerId);
                    if (exception) {
                        v.put("state", "exception");
                        v.put("failure_reason", REFUSED);
                    }
                    values.add(v);
                }
                Object reply = session.execute("mail.mail", "create", List.of(values), Map.of());
                for (Object id : (Object[]) reply) {
                    ids.add((Integer) id);
                }
            }
            created.computeIfAbsent(what.substring(0, what.indexOf('-')), k -> new ArrayList<>()).addAll(ids);
            return ids;
        }

        List<Integer> createdOf(String rep) {
            return created.getOrDefault(rep, List.of());
        }

        Map<String, Integer> states(List<Integer> ids) throws OdooException {
            Map<String, Integer> out = new TreeMap<>();
            for (int from = 0; from < ids.size(); from += 1000) {
                List<Integer> part = ids.subList(from, Math.min(ids.size(), from + 1000));
                for (MailState m : new MailQueueFlusher(session).states(part).values()) {
                    out.merge(m.state(), 1, Integer::sum);
                }
            }
            return out;
        }

        void holdCron() throws Exception {
            writeCron(Map.of("active", false));
            cronHeld = true;
        }

        void restoreCron() throws Exception {
            if (cronHeld) {
                writeCron(Map.of("active", originalCron.active()));
                cronHeld = false;
            }
        }

        /** Writes the mail cron, retrying while a cron worker runs it (its row is locked meanwhile). */
        void writeCron(Map<String, Object> values) throws Exception {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
            while (true) {
                try {
                    session.execute("ir.cron", "write", List.of(List.of(cronId), values), Map.of());
                    return;
                } catch (OdooFault f) {
                    if (!f.faultString().contains("cannot be modified right now") || Instant.now().isAfter(giveUp)) {
                        throw f;
                    }
                    Thread.sleep(2000);
                }
            }
        }

        /** How often each bench recipient reached the sink since setUp. */
        Map<String, Integer> sinkCounts() throws Exception {
            Map<String, Integer> counts = new HashMap<>();
            Set<String> mine = new HashSet<>(recipients);
            long lastSize = -1;
            for (int i = 0; i < 20; i++) { // the sink writes after it answered: wait until it stops growing
                long size = Files.size(index);
                if (size == lastSize) {
                    break;
                }
                lastSize = size;
                Thread.sleep(500);
            }
            try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "r")) {
                f.seek(sinkOffset);
                byte[] bytes = new byte[(int) (f.length() - sinkOffset)];
                f.readFully(bytes);
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    for (JsonNode rcpt : JSON.readTree(line).path("rcpt_tos")) {
                        if (mine.contains(rcpt.asText())) {
                            counts.merge(rcpt.asText(), 1, Integer::sum);
                        }
                    }
                }
            }
            return counts;
        }

        /** Removes every row and the server this run created, puts the login's email and the mail cron back. */
        void cleanUp() {
            List<String> problems = new ArrayList<>();
            List<Integer> all = created.values().stream().flatMap(List::stream).toList();
            try {
                for (int from = 0; from < all.size(); from += 500) {
                    List<Integer> part = all.subList(from, Math.min(all.size(), from + 500));
                    session.execute("mail.mail", "unlink", List.of(part), Map.of());
                }
            } catch (Exception e) {
                problems.add("unlink mails: " + e.getMessage());
            }
            try {
                if (serverId > 0) {
                    session.execute("ir.mail_server", "unlink", List.of(List.of(serverId)), Map.of());
                }
            } catch (Exception e) {
                problems.add("unlink server: " + e.getMessage());
            }
            try {
                if (emailChanged) {
                    session.execute("res.users", "write", List.of(List.of(uid), Map.of("email", originalEmail)), Map.of());
                }
            } catch (Exception e) {
                problems.add("restore email: " + e.getMessage());
            }
            try {
                if (originalCron != null) {
                    // active as before; nextcall as a run set it meanwhile, else as before, never "now" (shared server)
                    CronRecord current = new MailCronReader(session).read(cronId).orElseThrow();
                    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                    Instant next = current.nextcall() != null && current.nextcall().isAfter(now) ? current.nextcall()
                            : originalCron.nextcall() != null && originalCron.nextcall().isAfter(now) ? originalCron.nextcall()
                            : now.plusSeconds(3600);
                    if (current.active() != originalCron.active() || !next.equals(current.nextcall())) {
                        writeCron(Map.of("active", originalCron.active(), "nextcall", OdooValues.formatDatetime(next)));
                    }
                }
            } catch (Exception e) {
                problems.add("restore cron: " + e.getMessage());
            }
            say("   clean-up: " + all.size() + " mail rows and mail server " + serverId + " unlinked"
                    + (emailChanged ? ", login email restored" : "") + ", mail cron as before"
                    + (problems.isEmpty() ? "" : "; PROBLEMS: " + problems));
        }

        static int id(Object reply) {
            if (reply instanceof Integer i) {
                return i;
            }
            if (reply instanceof Object[] a && a.length == 1 && a[0] instanceof Integer i) {
                return i;
            }
            throw new IllegalStateException("create answered " + reply);
        }
    }

    // =====================================================================================================
    // The two sides of one repetition
    // =====================================================================================================

    /** A state dir and a config of one target: pacing off, the canary and chunk of the run. */
    Settings settings(Path base, String url, String database, String login, String password) throws Exception {
        return settings(base, url, database, login, password, "retry { rate-per-minute = 0, canary-size = " + o.canary()
                + ", chunk-size = " + o.chunk() + " }");
    }

    Settings settings(Path base, String url, String database, String login, String password, String retry) throws Exception {
        Files.createDirectories(base);
        Path conf = base.resolve("watchdog.conf");
        Files.writeString(conf, """
                # written by RetryBench
                state-dir = %s
                %s
                targets = [ { name = bench, url = %s, database = %s, login = %s, password-env = RETRY_BENCH_PASSWORD } ]
                """.formatted(JSON.writeValueAsString(base.resolve("state").toAbsolutePath().toString()), retry,
                JSON.writeValueAsString(url), JSON.writeValueAsString(database), JSON.writeValueAsString(login)));
        return SettingsLoader.load(Optional.of(conf), Map.of("RETRY_BENCH_PASSWORD", password));
    }

    /**
     * Odoo's own throughput: {@code process_email_queue(ids)} on these outgoing mails in batches of {@code batch}
     * ids, back to back, as MailQueueFlusher calls it (batch_size = the batch). Then every mail must be sent.
     */
    Map<String, Object> baseline(String name, TargetSettings target, List<Integer> ids, int batch) throws Exception {
        TimedTransport t = new TimedTransport(Probe.transportFor(target));
        OdooSession session = new OdooSession(t, target.database(), target.login(), target.secret().reveal());
        session.version();
        session.login();
        MailQueueFlusher flusher = new MailQueueFlusher(session);
        t.reset();
        // newest ids first: on 18.0, process_email_queue(ids, batch_size=b) only looks at the 10 * b newest due mails
        List<Integer> newestFirst = new ArrayList<>(ids);
        newestFirst.sort(Collections.reverseOrder());
        long t0 = System.nanoTime();
        for (int from = 0; from < newestFirst.size(); from += batch) {
            flusher.process(newestFirst.subList(from, Math.min(newestFirst.size(), from + batch)), target.flush().callTimeout());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mails", ids.size());
        p.put("batch", batch);
        p.put("calls", (ids.size() + batch - 1) / batch);
        p.put("seconds", round(seconds, 3));
        p.put("mails_per_s", round(ids.size() / seconds, 1));
        p.put("odoo_calls", t.table());
        int sent = 0;
        for (int from = 0; from < ids.size(); from += 1000) {
            for (MailState m : flusher.states(ids.subList(from, Math.min(ids.size(), from + 1000))).values()) {
                sent += "sent".equals(m.state()) ? 1 : 0;
            }
        }
        p.put("sent", sent);
        if (sent != ids.size()) {
            throw new IllegalStateException(name + ": " + sent + " of " + ids.size() + " sent");
        }
        return p;
    }

    /**
     * The retry as {@code retry --target T --apply} runs it (RetryCommand): a probe with SMTP tests for the servers'
     * verdicts, the journal reconciled, then {@link RetryRun#run} with no batch limit. Timed: the run alone, from the
     * candidates' read to the last batch's restore (canary, holds, re-reads, journal fsyncs included); the probe and
     * reconciliation are reported beside it.
     */
    Map<String, Object> retry(TargetSettings target, Path stateDir, int n, Instant failedSince, Set<Integer> expected)
            throws Exception {
        return retry(target, stateDir, n, failedSince, expected, false);
    }

    /**
     * {@code profiled}: the retry thread's stack is sampled every SAMPLE_MICROS meanwhile. Only the extra profiled run
     * of a part does so, so that the sampler's thread (a wake-up every millisecond on a 2-core machine shared with Odoo,
     * PostgreSQL and the SMTP sink) cannot weigh on the timed repetitions; the summary prints both runs' speeds.
     */
    Map<String, Object> retry(TargetSettings target, Path stateDir, int n, Instant failedSince, Set<Integer> expected,
                              boolean profiled) throws Exception {
        Clock clock = Clock.systemUTC();
        StateFiles state = new StateFiles(stateDir);
        Probe probe = new Probe(clock, new LoginParking(state), new SmtpTestMemory(state), true);
        long p0 = System.nanoTime();
        Snapshot snapshot = probe.probe(target, Instant.now().plusSeconds(120));
        double probeS = (System.nanoTime() - p0) / 1e9;
        if (!snapshot.reached()) {
            throw new IllegalStateException("probe failed: " + snapshot.failure());
        }
        TimedTransport t = new TimedTransport(Probe.transportFor(target));
        OdooSession session = new OdooSession(t, target.database(), target.login(), target.secret().reveal());
        session.version();
        session.login();
        Journal journal = Journal.open(stateDir, target.name(), clock);
        TargetWriter writer = new TargetWriter(target, session, journal, OwnerId.of(stateDir, "cli"), clock, Pause.REAL,
                UnaryOperator.identity(), () -> false, target.lock().quietWindow());
        long r0 = System.nanoTime();
        writer.reconcile();
        double reconcileS = (System.nanoTime() - r0) / 1e9;
        t.reset();
        RetryRun.Summary summary;
        long t0;
        double seconds;
        Sampler sampler = profiled ? new Sampler(Thread.currentThread(), t, o.sampleMicros()) : null;
        try {
            t0 = System.nanoTime();
            summary = new RetryRun(target, writer, session, journal, clock, Pause.REAL, UnaryOperator.identity())
                    .run(new RetryRequest(true, Set.of(), failedSince, n), snapshot.servers(), true, Integer.MAX_VALUE,
                            Duration.ofHours(1));
            seconds = (System.nanoTime() - t0) / 1e9;
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
        List<JournalRecord> records = journal.read(JournalQuery.all());
        Map<String, Integer> byAction = new TreeMap<>();
        records.forEach(rec -> byAction.merge(rec.action(), 1, Integer::sum));
        Set<Integer> requeued = new HashSet<>();
        summary.batches().forEach(b -> requeued.addAll(b.requeued()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mails", n);
        p.put("stop", summary.stop().name());
        p.put("stop_detail", summary.stopDetail());
        p.put("batches", summary.batches().size());
        p.put("batch_sizes", summary.batches().stream().map(b -> b.requeued().size()).toList());
        p.put("requeued", summary.requeued());
        p.put("delivered", summary.delivered());
        p.put("failed_again", summary.batches().stream().mapToInt(RetryBatch::failedAgain).sum());
        p.put("requeued_outside_the_bench_rows", requeued.stream().filter(id -> !expected.contains(id)).count());
        p.put("seconds", round(seconds, 3));
        p.put("mails_per_s", round(summary.delivered() / seconds, 1));
        p.put("probe_with_smtp_tests_s", round(probeS, 3));
        p.put("servers", snapshot.servers().stream().map(s -> s.name() + ":" + (s.test() == null ? "-" : s.test().outcome()))
                .toList());
        p.put("reconcile_s", round(reconcileS, 3));
        p.put("journal_records", records.size());
        p.put("journal_bytes", Files.size(journal.path()));
        p.put("journal_records_by_action", byAction);
        Map<String, Map<String, Object>> calls = t.table();
        p.put("odoo_calls", calls);
        double odooS = calls.values().stream().mapToDouble(c -> (Double) c.get("s")).sum();
        p.put("odoo_s", round(odooS, 3));
        p.put("requests", calls.values().stream().mapToLong(c -> ((Number) c.get("n")).longValue()).sum());
        p.put("after_icp_write", Map.of("n", t.afterIcpWrite[0], "s", round(t.afterIcpWrite[1] / 1e9, 4)));
        if (sampler != null) {
            p.put("sampled", sampler.shares(seconds));
            p.put("samples", sampler.total());
        }
        if (summary.stop() != RetryRun.Stop.NOTHING_LEFT || summary.delivered() != n) {
            throw new IllegalStateException("the retry stopped " + summary.stop() + " (" + summary.stopDetail() + ") after "
                    + summary.delivered() + " of " + n + " delivered");
        }
        if (!expected.containsAll(requeued)) {
            throw new IllegalStateException("the retry requeued mails that are not the bench's: "
                    + requeued.stream().filter(id -> !expected.contains(id)).limit(10).toList());
        }
        return p;
    }

    static String brief(Map<String, Object> p) {
        return p.get("mails_per_s") + " mails/s (" + p.get("mails") + " in " + p.get("seconds") + " s"
                + (p.containsKey("batches") ? ", " + p.get("batches") + " batches, " + p.get("requests") + " requests, "
                + p.get("journal_records") + " journal records" : ", " + p.get("calls") + " call(s)") + ")";
    }

    static void ratios(Map<String, Object> r) {
        double retry = mps(r, "retry");
        r.put("ratio_vs_chunked", round(retry / mps(r, "odoo-chunked"), 3));
        r.put("ratio_vs_one_call", round(retry / mps(r, "odoo-one-call"), 3));
    }

    static String ratioLine(Map<String, Object> r) {
        return "retry / Odoo chunked = " + r.get("ratio_vs_chunked") + ", retry / Odoo one call = " + r.get("ratio_vs_one_call");
    }

    /** Mails a phase moved over all repetitions. */
    @SuppressWarnings("unchecked")
    static double n(List<Map<String, Object>> reps, String phase) {
        return reps.stream().mapToDouble(r -> ((Number) ((Map<String, Object>) r.get(phase)).get("mails")).doubleValue()).sum();
    }

    @SuppressWarnings("unchecked")
    static double mps(Map<String, Object> r, String phase) {
        return ((Number) ((Map<String, Object>) r.get(phase)).get("mails_per_s")).doubleValue();
    }

    /** The table of one part: per repetition, then median and spread; where the retry's time goes. */
    @SuppressWarnings("unchecked")
    void summarize(String part, List<Map<String, Object>> reps, Map<String, Object> profile) throws IOException {
        if (reps.isEmpty()) {
            return;
        }
        say("");
        say("### " + part + ": mails per second, " + reps.get(0).get("mails") + " mails per side");
        say("");
        say("| rep | order | Odoo chunked (" + o.chunk() + "/call) | Odoo one call | retry (RetryRun, pacing off) | retry / chunked"
                + " | retry / one call | retry batches | requests | journal records | duplicates |");
        say("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map<String, Object> r : reps) {
            Map<String, Object> retry = (Map<String, Object>) r.get("retry");
            say("| " + r.get("rep") + " | " + (((List<String>) r.get("order")).get(0).equals("retry") ? "retry first" : "Odoo first")
                    + " | " + mps(r, "odoo-chunked") + " | " + mps(r, "odoo-one-call") + " | " + mps(r, "retry") + " | "
                    + r.get("ratio_vs_chunked") + " | " + r.get("ratio_vs_one_call") + " | " + retry.get("batches") + " | "
                    + retry.get("requests") + " | " + retry.get("journal_records") + " | "
                    + r.getOrDefault("duplicates", "see sink") + " |");
        }
        double[] vsChunked = reps.stream().mapToDouble(r -> (Double) r.get("ratio_vs_chunked")).toArray();
        double[] vsOne = reps.stream().mapToDouble(r -> (Double) r.get("ratio_vs_one_call")).toArray();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("part", part);
        s.put("rep", "summary");
        s.put("ratio_vs_chunked_median_min_max", List.of(round(median(vsChunked), 3), min(vsChunked), max(vsChunked)));
        s.put("ratio_vs_one_call_median_min_max", List.of(round(median(vsOne), 3), min(vsOne), max(vsOne)));
        for (String phase : List.of("odoo-chunked", "odoo-one-call", "retry")) {
            double[] v = reps.stream().mapToDouble(r -> mps(r, phase)).toArray();
            s.put(phase + "_mails_per_s_median_min_max", List.of(round(median(v), 1), min(v), max(v)));
        }
        say("| **median (min–max)** | | " + triple(s.get("odoo-chunked_mails_per_s_median_min_max")) + " | "
                + triple(s.get("odoo-one-call_mails_per_s_median_min_max")) + " | "
                + triple(s.get("retry_mails_per_s_median_min_max")) + " | **"
                + triple(s.get("ratio_vs_chunked_median_min_max")) + "** | **" + triple(s.get("ratio_vs_one_call_median_min_max"))
                + "** | | | | |");
        say("");
        say(part + ": ratio retry / Odoo (same batches) median " + median(vsChunked) + " (target ≥ 0.8: "
                + (median(vsChunked) >= 0.8 ? "met" : "NOT met") + "); retry / Odoo one call median " + median(vsOne));

        // where the retry's time goes: exact per XML-RPC method; outside the calls exact in total, split by the
        // profiled run's samples
        Map<String, double[]> calls = new TreeMap<>();
        double total = 0;
        int batches = 0;
        double chunkedPeq = 0;
        double[] afterIcp = new double[2];
        Map<String, double[]> chunkedCalls = new TreeMap<>();
        for (Map<String, Object> r : reps) {
            Map<String, Object> retry = (Map<String, Object>) r.get("retry");
            total += (Double) retry.get("seconds");
            batches += (Integer) retry.get("batches");
            ((Map<String, Map<String, Object>>) retry.get("odoo_calls")).forEach((k, v) -> {
                double[] a = calls.computeIfAbsent(k, x -> new double[2]);
                a[0] += ((Number) v.get("n")).doubleValue();
                a[1] += (Double) v.get("s");
            });
            Map<String, Map<String, Object>> base = (Map<String, Map<String, Object>>)
                    ((Map<String, Object>) r.get("odoo-chunked")).get("odoo_calls");
            chunkedPeq += base.values().stream().mapToDouble(c -> (Double) c.get("s")).sum();
            Map<String, Object> icp = (Map<String, Object>) retry.get("after_icp_write");
            afterIcp[0] += ((Number) icp.get("n")).doubleValue();
            afterIcp[1] += (Double) icp.get("s");
        }
        say("");
        say("#### " + part + ": where the retry's time goes (" + reps.size() + " runs, " + round(total, 2) + " s, " + batches
                + " batches; per batch = mean over all batches)");
        say("");
        say("| what | calls per batch | ms per batch | share of the run |");
        say("|---|---|---|---|");
        double totalF = total;
        int batchesF = batches;
        List<Map.Entry<String, double[]>> byTime = new ArrayList<>(calls.entrySet());
        byTime.sort((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]));
        double odoo = 0;
        for (Map.Entry<String, double[]> e : byTime) {
            odoo += e.getValue()[1];
            say("| XML-RPC " + e.getKey() + " | " + round(e.getValue()[0] / batchesF, 2) + " | "
                    + round(1000 * e.getValue()[1] / batchesF, 2) + " | " + pct(e.getValue()[1] / totalF) + " |");
        }
        say("| **all XML-RPC calls** | " + round(calls.values().stream().mapToDouble(a -> a[0]).sum() / batchesF, 2) + " | "
                + round(1000 * odoo / batchesF, 2) + " | " + pct(odoo / totalF) + " |");
        say("| *of which: the first request after an ir.config_parameter create/write/unlink (Odoo clears its caches"
                + " on each; mean " + round(1000 * afterIcp[1] / Math.max(1, afterIcp[0]), 1) + " ms)* | "
                + round(afterIcp[0] / batchesF, 2) + " | " + round(1000 * afterIcp[1] / batchesF, 2) + " | "
                + pct(afterIcp[1] / totalF) + " |");
        say("| **outside XML-RPC calls** (the run's time less its calls' time) | | " + round(1000 * (totalF - odoo) / batchesF, 2)
                + " | " + pct((totalF - odoo) / totalF) + " |");
        if (profile != null && profile.get("sampled") != null) {
            // the profiled run's samples outside XML-RPC calls, per batch of that run; under 0.5 % of it go together
            Map<String, Double> sampled = (Map<String, Double>) profile.get("sampled");
            double pSeconds = (Double) profile.get("seconds");
            int pBatches = (Integer) profile.get("batches");
            Map<String, Double> local = new TreeMap<>();
            sampled.forEach((k, v) -> {
                if (!k.equals("in an XML-RPC call")) {
                    local.merge(v / pSeconds < 0.005 ? "other, each under 0.5 % (client code between calls, JVM)" : k, v,
                            Double::sum);
                }
            });
            local.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).forEach(e ->
                    say("| *of which, sampled in the profiled run:* " + e.getKey() + " | | "
                            + round(1000 * e.getValue() / pBatches, 2) + " | " + pct(e.getValue() / pSeconds) + " |"));
        }
        double peq = calls.getOrDefault("mail.mail.process_email_queue", new double[2])[1];
        say("");
        say(part + ": process_email_queue inside the retry " + round(peq, 2) + " s of " + round(total, 2) + " s ("
                + pct(peq / total) + "); the same mails by Odoo chunked took " + round(chunkedPeq, 2) + " s; everything"
                + " besides process_email_queue: " + round(1000 * (total - peq) / batches, 1) + " ms per batch");
        if (profile != null) {
            Map<String, Map<String, Object>> pc = (Map<String, Map<String, Object>>) profile.get("odoo_calls");
            double pPeq = pc.containsKey("mail.mail.process_email_queue")
                    ? (Double) pc.get("mail.mail.process_email_queue").get("s") : 0;
            s.put("profiled_retry_mails_per_s", profile.get("mails_per_s"));
            s.put("profiled_retry_process_email_queue_ms_per_batch", round(1000 * pPeq / (Integer) profile.get("batches"), 1));
            say(part + ": the profiled run (sampler on): " + profile.get("mails_per_s") + " mails/s, process_email_queue "
                    + s.get("profiled_retry_process_email_queue_ms_per_batch") + " ms per batch; the timed runs (sampler off): "
                    + round(n(reps, "retry") / total, 1) + " mails/s, " + round(1000 * peq / batches, 1) + " ms per batch");
        }
        // what-if, from the measured times: the cache rebuilds gone (a lock store that does not clear Odoo's caches),
        // or one lock-row write per batch instead of ~5 (the rest of the lock protocol kept)
        double chunkedTotal = reps.stream().mapToDouble(r -> ((Number) ((Map<String, Object>) r.get("odoo-chunked"))
                .get("seconds")).doubleValue()).sum();
        double requests = calls.values().stream().mapToDouble(a -> a[0]).sum();
        double ordinary = (odoo - peq - afterIcp[1]) / Math.max(1, requests - batches - afterIcp[0]);
        double rebuild = Math.max(0, afterIcp[1] - afterIcp[0] * ordinary);
        double oneWrite = rebuild * Math.max(0, afterIcp[0] - batches) / Math.max(1, afterIcp[0]);
        s.put("aggregate_ratio_vs_chunked", round(chunkedTotal / total, 3));
        s.put("ordinary_request_ms", round(1000 * ordinary, 1));
        s.put("cache_rebuild_extra_s", round(rebuild, 3));
        s.put("estimate_ratio_without_cache_rebuilds", round(chunkedTotal / (total - rebuild), 3));
        s.put("estimate_ratio_one_lock_write_per_batch", round(chunkedTotal / (total - oneWrite), 3));
        say(part + ": aggregate ratio (all reps' chunked time / retry time) " + s.get("aggregate_ratio_vs_chunked")
                + "; an ordinary request " + s.get("ordinary_request_ms") + " ms; the cache rebuilds after lock-row writes add "
                + round(rebuild, 2) + " s; estimate without them " + s.get("estimate_ratio_without_cache_rebuilds")
                + ", with one lock-row write per batch " + s.get("estimate_ratio_one_lock_write_per_batch"));
        s.put("after_icp_write_n", afterIcp[0]);
        s.put("after_icp_write_s", round(afterIcp[1], 3));
        s.put("journal_append_fsync_ms", journalAppendMs());
        say(part + ": one journal append (intent, fsynced) on this file system: " + s.get("journal_append_fsync_ms")
                + " ms median / p90 of 100, measured apart");
        s.put("retry_seconds_total", round(total, 3));
        s.put("retry_batches_total", batches);
        s.put("retry_process_email_queue_s", round(peq, 3));
        s.put("retry_other_ms_per_batch", round(1000 * (total - peq) / batches, 2));
        s.put("odoo_chunked_process_email_queue_s", round(chunkedPeq, 3));
        record(s);
    }

    // =====================================================================================================
    // Planning cost
    // =====================================================================================================

    void plan() throws Exception {
        say("");
        say("== plan: RetryPlanner.plan over " + o.planMails() + " exceptions, RetryHistory with attempts for "
                + o.planHistoryIds() + " ids; RetryHistory.from over " + o.journalRequeues() + " requeues of 100 ids");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // the daemon's policy: reference.conf's defaults (canary 5, chunk 100, paced at 60/min, max-attempts 3, 48 h)
        RetrySettings policy = settings(dir.resolve("plan"), "http://127.0.0.1:9", "x", "x", "x", "").targets().get(0).retry();
        Random random = new Random(o.seed());

        long heap0 = usedAfterGc();
        PlanInputs in = PlanInputs.generate(o.planMails(), o.planHistoryIds(), now, random);
        long heapInputs = usedAfterGc();
        long heapCandidates = in.candidatesBytes;
        say("   inputs: " + in.describe());
        say("   policy: " + policy);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("part", "plan");
        r.put("rep", "plan");
        r.put("exceptions", o.planMails());
        r.put("history_ids", o.planHistoryIds());
        r.put("distinct_reasons", in.distinctReasons);
        r.put("classes", in.classes);
        r.put("models", in.models);

        RetryPlan plan = null;
        for (int i = 0; i < o.planWarmup(); i++) {
            plan = planOnce(in, policy, now);
        }
        double[] cpuMs = new double[o.planRuns()];
        double[] wallMs = new double[o.planRuns()];
        double[] allocMib = new double[o.planRuns()];
        for (int i = 0; i < o.planRuns(); i++) {
            long a0 = threads.getThreadAllocatedBytes(tid);
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            plan = planOnce(in, policy, now);
            wallMs[i] = (System.nanoTime() - w0) / 1e6;
            cpuMs[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            allocMib[i] = (threads.getThreadAllocatedBytes(tid) - a0) / MIB;
        }
        // where a plan's CPU goes: the innermost watchdog frame of the planning thread, sampled over more plans
        Map<String, Integer> where = new TreeMap<>();
        int[] samples = {0};
        Thread me = Thread.currentThread();
        boolean[] sampling = {true};
        Thread sampler = new Thread(() -> {
            while (sampling[0]) {
                LockSupport.parkNanos(200_000);
                String frame = innermostWatchdogFrame(me.getStackTrace());
                synchronized (where) {
                    where.merge(frame, 1, Integer::sum);
                    samples[0]++;
                }
            }
        }, "plan-sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (int i = 0; i < 10; i++) {
            plan = planOnce(in, policy, now);
        }
        sampling[0] = false;
        sampler.join();
        Map<String, Double> profile = new LinkedHashMap<>();
        synchronized (where) {
            where.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                    .forEach(e -> profile.put(e.getKey(), round(100.0 * e.getValue() / samples[0], 1)));
        }
        r.put("plan_profile_pct", profile);
        long heapPlan = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(in);
        java.lang.ref.Reference.reachabilityFence(plan);
        double cpu = median(cpuMs);
        double alloc = median(allocMib);
        r.put("plan_next", plan.next().name());
        r.put("plan_planned", plan.planned());
        r.put("plan_chunks", plan.chunks().size());
        r.put("plan_eligible", plan.eligible());
        r.put("plan_left_groups", plan.left().size());
        r.put("plan_left_mails", plan.left().stream().mapToInt(RetryPlan.Left::count).sum());
        r.put("plan_cpu_ms_median_min_max", List.of(round(cpu, 2), round(min(cpuMs), 2), round(max(cpuMs), 2)));
        r.put("plan_wall_ms_median", round(median(wallMs), 2));
        r.put("plan_alloc_mib_median", round(alloc, 2));
        r.put("plan_us_per_exception", round(1000 * cpu / o.planMails(), 3));
        r.put("plan_alloc_bytes_per_exception", Math.round(alloc * MIB / o.planMails()));
        r.put("heap_baseline_mib", round(heap0 / MIB, 2));
        r.put("retained_inputs_mib", round((heapInputs - heap0) / MIB, 2));
        r.put("retained_inputs_bytes_per_exception", Math.round((double) (heapInputs - heap0) / o.planMails()));
        r.put("retained_plan_mib", round((heapPlan - heapInputs) / MIB, 2));
        r.put("retained_plan_bytes_per_exception", Math.round((double) (heapPlan - heapInputs) / o.planMails()));
        r.put("candidates_estimate_mib", round(heapCandidates / MIB, 2));
        say("   plan: next " + plan.next() + ", " + plan.planned() + " planned in " + plan.chunks().size() + " chunk(s), "
                + plan.left().size() + " left-alone groups (" + r.get("plan_left_mails") + " mails); eligible " + plan.eligible());
        say("   plan CPU ms median / min / max of " + o.planRuns() + " (after " + o.planWarmup() + " warm-up): "
                + r.get("plan_cpu_ms_median_min_max") + "; wall " + r.get("plan_wall_ms_median") + " ms; allocated "
                + r.get("plan_alloc_mib_median") + " MiB per plan");

        say("   where a plan's CPU goes (innermost watchdog frame, % of samples over 10 plans): " + profile);

        // RetryHistory.from: in memory, and through the journal file as RetryRun reads it before every batch
        List<String> reasonMix = in.candidates.stream().limit(20_000).map(FailedMail::failureReason).toList();
        List<JournalRecord> records = JournalShapes.retryJournal(o.journalRequeues(), o.chunk(), now, reasonMix, random);
        Path jdir = dir.resolve("plan").resolve("journal-state");
        Path file = Journal.file(jdir, "bench");
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (JournalRecord rec : records) {
                w.write(JOURNAL_JSON.writeValueAsString(rec));
                w.write('\n');
            }
        }
        long heapJ0 = usedAfterGc();
        RetryHistory history = null;
        for (int i = 0; i < o.planWarmup(); i++) {
            history = RetryHistory.from(records, now);
        }
        double[] hCpu = new double[o.planRuns()];
        double[] hAlloc = new double[o.planRuns()];
        for (int i = 0; i < o.planRuns(); i++) {
            history = null;
            long a0 = threads.getThreadAllocatedBytes(tid);
            long c0 = threads.getCurrentThreadCpuTime();
            history = RetryHistory.from(records, now);
            hCpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            hAlloc[i] = (threads.getThreadAllocatedBytes(tid) - a0) / MIB;
        }
        long heapJ1 = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(history);
        Journal journal = Journal.open(jdir, "bench", Clock.systemUTC());
        int readRuns = Math.max(3, o.planRuns() / 2);
        for (int i = 0; i < 2; i++) {
            RetryHistory.of(journal, now);
        }
        double[] rCpu = new double[readRuns];
        double[] rWall = new double[readRuns];
        double[] rAlloc = new double[readRuns];
        for (int i = 0; i < readRuns; i++) {
            long a0 = threads.getThreadAllocatedBytes(tid);
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            RetryHistory.of(journal, now);
            rWall[i] = (System.nanoTime() - w0) / 1e6;
            rCpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            rAlloc[i] = (threads.getThreadAllocatedBytes(tid) - a0) / MIB;
        }
        int requeueIds = records.stream().filter(x -> RetryHistory.REQUEUE.equals(x.action()) && x.isIntentRecord())
                .mapToInt(x -> x.ids().size()).sum();
        int recordCount = records.size();
        records = null; // only the parsed copy below stays
        long heapR0 = usedAfterGc();
        List<JournalRecord> parsed = journal.read(JournalQuery.all());
        long heapR1 = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(parsed);
        r.put("journal_parsed_retained_mib", round((heapR1 - heapR0) / MIB, 1));
        r.put("journal_parsed_retained_kib_per_batch", round((heapR1 - heapR0) / 1024.0 / o.journalRequeues(), 1));
        parsed = null;
        r.put("journal_records", recordCount);
        r.put("journal_requeue_intents", o.journalRequeues());
        r.put("journal_requeued_ids", requeueIds);
        r.put("journal_distinct_ids", history.attempts().size());
        r.put("journal_file_mib", round(Files.size(file) / MIB, 2));
        r.put("history_from_cpu_ms_median_min_max", List.of(round(median(hCpu), 2), round(min(hCpu), 2), round(max(hCpu), 2)));
        r.put("history_from_alloc_mib_median", round(median(hAlloc), 2));
        r.put("history_from_us_per_requeued_id", round(1000 * median(hCpu) / requeueIds, 4));
        r.put("history_retained_mib", round((heapJ1 - heapJ0) / MIB, 2));
        r.put("journal_read_plus_from_cpu_ms_median", round(median(rCpu), 1));
        r.put("journal_read_plus_from_wall_ms_median", round(median(rWall), 1));
        r.put("journal_read_plus_from_alloc_mib_median", round(median(rAlloc), 1));
        say("   journal: " + recordCount + " records (" + o.journalRequeues() + " batches as RetryRun and TargetWriter"
                + " journal them: 18 records each), " + requeueIds + " requeued ids over " + history.attempts().size()
                + " distinct, file " + r.get("journal_file_mib") + " MiB");
        say("   RetryHistory.from (records in memory): CPU ms " + r.get("history_from_cpu_ms_median_min_max") + ", allocated "
                + r.get("history_from_alloc_mib_median") + " MiB, the history retains " + r.get("history_retained_mib") + " MiB");
        say("   the parsed journal (journal.read(all)) retains " + r.get("journal_parsed_retained_mib") + " MiB, "
                + r.get("journal_parsed_retained_kib_per_batch") + " KiB per retry batch");
        say("   RetryHistory.of(journal), streamed (what RetryRun does before every batch): CPU "
                + r.get("journal_read_plus_from_cpu_ms_median") + " ms, wall " + r.get("journal_read_plus_from_wall_ms_median")
                + " ms, allocated " + r.get("journal_read_plus_from_alloc_mib_median") + " MiB (median of " + readRuns + ")");

        // what a whole run through these exceptions costs in planning: RetryRun plans again after every batch
        int batches = plan.planned() / Math.max(1, o.chunk()) + 1;
        double perPlanAvg = cpu / 2; // the candidates shrink linearly from n to 0 over the run
        r.put("run_replans", batches);
        r.put("run_planning_cpu_s_estimate", round(batches * perPlanAvg / 1000, 1));
        say("   a whole run over these " + plan.planned() + " eligible mails: ~" + batches + " plans (one per batch), ~"
                + r.get("run_planning_cpu_s_estimate") + " s of planning CPU (mean plan over the shrinking candidates ≈ half"
                + " the full one), plus one journal read per batch");

        // the daemon's heap: a child JVM with the systemd unit's JAVA_OPTS
        List<Map<String, Object>> fits = new ArrayList<>();
        for (int size : o.fitSizes()) {
            fits.add(fitInDaemonHeap("plan-fit", size, "", size + " exceptions"));
        }
        r.put("daemon_heap_fit", fits);
        // and reading the journal, as RetryRun (before each batch) and the daemon (each time the file changed) do
        List<Map<String, Object>> journalFits = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int batchesK : List.of(250, 500, 1000, 2000, o.journalRequeues())) {
            if (batchesK > o.journalRequeues() || o.fitSizes().isEmpty()) {
                continue;
            }
            Path kdir = dir.resolve("plan").resolve("journal-" + batchesK);
            Path kfile = Journal.file(kdir, "bench");
            Files.createDirectories(kfile.getParent());
            Files.write(kfile, lines.subList(0, Math.min(lines.size(), batchesK * 18)), StandardCharsets.UTF_8);
            journalFits.add(fitInDaemonHeap("journal-fit", batchesK, kdir.toString(),
                    round(Files.size(kfile) / MIB, 1) + " MiB journal"));
        }
        lines = null;
        r.put("daemon_heap_journal_fit", journalFits);

        say("");
        say("### plan: RetryPlanner.plan over " + o.planMails() + " exceptions (" + in.distinctReasons + " distinct reasons, "
                + in.models.size() + " models), attempts for " + o.planHistoryIds() + " ids");
        say("");
        say("| measure | absolute | per exception |");
        say("|---|---|---|");
        say("| CPU per plan, median (min–max) of " + o.planRuns() + " after " + o.planWarmup() + " warm-up | "
                + triple(r.get("plan_cpu_ms_median_min_max")) + " ms | " + r.get("plan_us_per_exception") + " µs |");
        say("| allocated per plan (median) | " + r.get("plan_alloc_mib_median") + " MiB | "
                + r.get("plan_alloc_bytes_per_exception") + " B |");
        say("| retained: the inputs (100k FailedMail with their strings, the history) | " + r.get("retained_inputs_mib")
                + " MiB | " + r.get("retained_inputs_bytes_per_exception") + " B |");
        say("| retained: the plan | " + r.get("retained_plan_mib") + " MiB | " + r.get("retained_plan_bytes_per_exception")
                + " B |");
        say("| RetryHistory.from, " + recordCount + " records (" + o.journalRequeues() + " requeues × 100 ids) in memory | "
                + triple(r.get("history_from_cpu_ms_median_min_max")) + " ms CPU, " + r.get("history_from_alloc_mib_median")
                + " MiB allocated, " + r.get("history_retained_mib") + " MiB retained | " + r.get("history_from_us_per_requeued_id")
                + " µs per requeued id |");
        say("| RetryHistory.of(journal) streamed, the " + r.get("journal_file_mib") + " MiB file (before every batch) | "
                + r.get("journal_read_plus_from_cpu_ms_median") + " ms CPU, " + r.get("journal_read_plus_from_wall_ms_median")
                + " ms wall, " + r.get("journal_read_plus_from_alloc_mib_median") + " MiB allocated | |");
        say("| the parsed journal (journal.read(all)) | " + r.get("journal_parsed_retained_mib") + " MiB retained | "
                + r.get("journal_parsed_retained_kib_per_batch") + " KiB per retry batch of 100 |");
        for (Map<String, Object> f : fits) {
            say("| plan of " + f.get("size") + " exceptions in the daemon's heap (its JAVA_OPTS, -Xmx64m) | " + f.get("verdict")
                    + " |  |");
        }
        for (Map<String, Object> f : journalFits) {
            say("| RetryHistory.of(journal) streamed, " + f.get("size") + " batches (" + f.get("what")
                    + ") in the daemon's heap | " + f.get("verdict") + " |  |");
        }
        record(r);
    }

    /** Median and p90 ms of one Journal.intent (written and fsynced) in a scratch journal beside the state dirs. */
    List<Double> journalAppendMs() throws IOException {
        Journal journal = Journal.open(dir.resolve("fsync-probe"), "bench", Clock.systemUTC());
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            journal.intent("bench.fsync", "how long one fsynced append takes", null, List.of(i), Map.of());
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return List.of(round(median(ms), 2), round(ms[89], 2));
    }

    static RetryPlan planOnce(PlanInputs in, RetrySettings policy, Instant now) {
        return RetryPlanner.plan("bench", policy, RetryRequest.daemon(), in.candidates, in.olderThanMaxAge, in.servers,
                in.history, now);
    }

    /** Runs {@code mode n [arg]} in a child JVM with the daemon's JAVA_OPTS; its exit code says whether it fitted. */
    Map<String, Object> fitInDaemonHeap(String mode, int n, String arg, String what) throws Exception {
        String opts = DaemonBench.unitJavaOpts(Path.of("systemd/odoo-mail-watchdog.service"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(opts.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RetryBench.class.getName(), mode,
                Integer.toString(n), arg));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("mode", mode);
        f.put("size", n);
        f.put("what", what);
        f.put("java_opts", opts);
        f.put("exit_code", done ? p.exitValue() : null);
        String json = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (done && p.exitValue() == 0 && json != null) {
            JsonNode j = JSON.readTree(json);
            f.put("result", JSON.convertValue(j, Map.class));
            f.put("verdict", "fits: retains " + j.path("retained_mib").asText() + " MiB (heap used after GC "
                    + j.path("heap_used_after_gc_mib").asText() + " of " + j.path("max_heap_mib").asText() + " MiB), CPU "
                    + j.path("cpu_ms").asText() + " ms");
        } else {
            f.put("output_tail", text.length() > 600 ? text.substring(text.length() - 600) : text);
            f.put("verdict", "**does not fit**: exit " + (done ? p.exitValue() : "timeout")
                    + (text.contains("OutOfMemoryError") ? " (OutOfMemoryError)" : ""));
        }
        say("   " + mode + " " + what + " in a JVM with the daemon's JAVA_OPTS: " + f.get("verdict"));
        return f;
    }

    /** The child of {@link #fitInDaemonHeap}: inputs of n exceptions and one plan, in this (small) heap. */
    static void planFit(int n, Options o) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long heap0 = usedAfterGc();
        PlanInputs in = PlanInputs.generate(n, Math.min(n, o.planHistoryIds()), now, new Random(o.seed()));
        RetrySettings policy = new RetrySettings(true, 5, 100, 60, 0, 3, Duration.ofHours(48), 0.2, Duration.ofMinutes(30),
                List.of("res.users", "account.move"));
        long c0 = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime();
        RetryPlan plan = planOnce(in, policy, now);
        long cpu = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime() - c0;
        long used = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(in);
        java.lang.ref.Reference.reachabilityFence(plan);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exceptions", n);
        out.put("planned", plan.planned());
        out.put("cpu_ms", round(cpu / 1e6, 1));
        out.put("retained_mib", round((used - heap0) / MIB, 1));
        out.put("heap_used_after_gc_mib", round(used / MIB, 1));
        out.put("max_heap_mib", round(Runtime.getRuntime().maxMemory() / MIB, 1));
        System.out.println(JSON.writeValueAsString(out));
    }

    /** The innermost frame of watchdog code (not the bench), with its line: what the planner is doing. */
    static String innermostWatchdogFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("io.mailwatchdog.") && !c.startsWith("io.mailwatchdog.bench.")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName() + ":" + f.getLineNumber();
            }
        }
        return "outside the planner";
    }

    /** The child of {@link #fitInDaemonHeap} for a journal: read it whole and make the history, as RetryRun does. */
    static void journalFit(Path stateDir) throws Exception {
        long heap0 = usedAfterGc();
        Journal journal = Journal.open(stateDir, "bench", Clock.systemUTC());
        long c0 = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime();
        // as RetryRun and the daemon read it: one record at a time
        RetryHistory history = RetryHistory.of(journal, Instant.now());
        long cpu = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadCpuTime() - c0;
        long used = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(history);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", journal.lastSeq());
        out.put("cpu_ms", round(cpu / 1e6, 1));
        out.put("retained_mib", round((used - heap0) / MIB, 1));
        out.put("heap_used_after_gc_mib", round(used / MIB, 1));
        out.put("max_heap_mib", round(Runtime.getRuntime().maxMemory() / MIB, 1));
        System.out.println(JSON.writeValueAsString(out));
    }

    /**
     * 100,000 exceptions as RetryCandidateReader returns them (newest first, every string its own object, as the XML
     * decoder makes them), a realistic mix of failure classes and reasons, models from a list; a history with attempts
     * for a subset; two servers whose tests passed a minute ago.
     */
    static final class PlanInputs {
        List<FailedMail> candidates;
        int olderThanMaxAge;
        List<ServerSnapshot> servers;
        RetryHistory history;
        int distinctReasons;
        Map<FailureClass, Integer> classes = new EnumMap<>(FailureClass.class);
        Map<String, Integer> models = new TreeMap<>();
        long candidatesBytes;
        List<String> pool;

        List<String> reasonPool() {
            return pool;
        }

        /** A failure's (failure_type, failure_reason) and its weight in the mix. */
        record Kind(String type, String reason, double weight) {
        }

        static List<Kind> kinds(Random random) {
            List<Kind> k = new ArrayList<>();
            String smtp = "Mail Delivery Failed\nMail delivery failed via SMTP server 'None'.\n";
            // TRANSPORT, 40 %: a few texts, most mails
            String[] transport = {"111\nConnection refused", "110\nConnection timed out", "-2\nName or service not known",
                "-3\nTemporary failure in name resolution", "113\nNo route to host", "101\nNetwork is unreachable",
                "Connection unexpectedly closed", "Connection unexpectedly closed: timed out"};
            double[] tw = {0.22, 0.06, 0.03, 0.02, 0.02, 0.01, 0.03, 0.01};
            for (int i = 0; i < transport.length; i++) {
                k.add(new Kind(i % 3 == 0 ? null : "mail_smtp", transport[i], tw[i]));
            }
            // AUTH, 8 %: Google's 535 carries a token of its own per session
            for (int i = 0; i < 600; i++) {
                k.add(new Kind("mail_smtp", "535\nb'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8"
                        + "  https://support.google.com/mail/?p=BadCredentials " + token(random) + " - gsmtp'", 0.06 / 600));
            }
            k.add(new Kind("mail_smtp", "535\nb'5.7.3 Authentication unsuccessful'", 0.015));
            k.add(new Kind("mail_smtp", "SMTP AUTH extension not supported by server.", 0.005));
            // TLS, 2 %
            k.add(new Kind("mail_smtp", "1\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
                    + " (_ssl.c:1006)", 0.012));
            k.add(new Kind("mail_smtp", "STARTTLS extension not supported by server.", 0.008));
            // RATE_LIMIT, 12 %: tokens again
            for (int i = 0; i < 400; i++) {
                k.add(new Kind("mail_smtp", "421\nb'4.7.0 Try again later, closing connection. " + token(random) + " - gsmtp'",
                        0.05 / 400));
            }
            k.add(new Kind("unknown", smtp + "SMTPDataError: (451, b'4.7.1 Rate limit exceeded, try again later')", 0.03));
            for (int i = 0; i < 200; i++) {
                k.add(new Kind("unknown", smtp + "SMTPDataError: (550, b'5.4.5 Daily user sending quota exceeded. "
                        + token(random) + " - gsmtp')", 0.04 / 200));
            }
            // MAILBOX, 5 %: one text per full mailbox
            for (int i = 0; i < 800; i++) {
                k.add(new Kind("unknown", smtp + "SMTPRecipientsRefused: {'customer" + (10_000 + i) + "@example.org': (552, b'5.2.2"
                        + " Mailbox full, quota exceeded')}", 0.05 / 800));
            }
            // RECIPIENT, 20 %: one text per unknown recipient, plus Odoo's own refusals
            for (int i = 0; i < 1200; i++) {
                k.add(new Kind("unknown", smtp + "SMTPRecipientsRefused: {'old" + (20_000 + i) + "@example.net': (550, b'5.1.1"
                        + " The email account that you tried to reach does not exist.')}", 0.12 / 1200));
            }
            k.add(new Kind("mail_email_invalid", "Error without exception. Probably due to sending an email without computed"
                    + " recipients.", 0.05));
            k.add(new Kind("mail_email_missing", "Error without exception. Probably due to sending an email without computed"
                    + " recipients.", 0.03));
            // CONTENT 3 %, SENDER 2 %, UNKNOWN 8 %
            k.add(new Kind("unknown", smtp + "SMTPDataError: (554, b'5.7.1 Message rejected as spam by Content Filtering.')", 0.03));
            k.add(new Kind("unknown", smtp + "SMTPSenderRefused: (553, b'5.7.1 <odoo@example.com>: Sender address rejected: not"
                    + " owned by user bot@example.com', 'odoo@example.com')", 0.02));
            k.add(new Kind("unknown", "Error without exception. Probably due to sending an email without computed recipients.",
                    0.04));
            k.add(new Kind("mail_some_future_type", "Unexpected error while sending", 0.04));
            return k;
        }

        static String token(Random random) {
            return Long.toHexString(random.nextLong() & 0xffffffffffffL) + "-" + Integer.toHexString(random.nextInt())
                    + "sm" + (1_000_000 + random.nextInt(9_000_000)) + "b3a." + random.nextInt(100);
        }

        static final String[] MODELS = {"res.partner", "account.move", "sale.order", "res.users", "crm.lead", "project.task",
            "discuss.channel", "purchase.order", "stock.picking", "helpdesk.ticket", "hr.expense", null};
        static final double[] MODEL_WEIGHTS = {0.30, 0.20, 0.12, 0.05, 0.08, 0.07, 0.05, 0.04, 0.04, 0.02, 0.01, 0.02};

        static PlanInputs generate(int n, int historyIds, Instant now, Random random) {
            PlanInputs in = new PlanInputs();
            List<Kind> kinds = kinds(random);
            double[] cumulative = new double[kinds.size()];
            double sum = 0;
            for (int i = 0; i < kinds.size(); i++) {
                sum += kinds.get(i).weight();
                cumulative[i] = sum;
            }
            double[] modelCumulative = new double[MODELS.length];
            double ms = 0;
            for (int i = 0; i < MODELS.length; i++) {
                ms += MODEL_WEIGHTS[i];
                modelCumulative[i] = ms;
            }
            Set<String> reasons = new HashSet<>();
            List<FailedMail> mails = new ArrayList<>(n);
            int firstId = 5_000_000;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                int id = firstId + n - i; // newest first, as the reader returns them
                Kind kind = kinds.get(pick(cumulative, random.nextDouble() * sum));
                String model = MODELS[pick(modelCumulative, random.nextDouble() * ms)];
                // created within max-age (the reader leaves older ones out and counts them), newest first
                Instant created = now.minus(Duration.ofSeconds((long) (47L * 3600 * i / (double) n)));
                Instant failed = created.plusSeconds(random.nextInt(600));
                String reason = new String(kind.reason().toCharArray()); // its own object, as decoded from XML
                mails.add(new FailedMail(id, kind.type() == null ? null : new String(kind.type().toCharArray()), reason,
                        failed, created, model == null ? null : new String(model.toCharArray())));
                reasons.add((kind.type() == null ? "" : kind.type()) + "\u0000" + kind.reason());
                in.classes.merge(MailFailureClassifier.classify(kind.type(), kind.reason()), 1, Integer::sum);
                in.models.merge(String.valueOf(model), 1, Integer::sum);
                bytes += 16 + 40 + 2L * (reason.length() + 24) + 2L * 24 + 2L * 40;
            }
            in.candidates = mails;
            in.candidatesBytes = bytes;
            in.distinctReasons = reasons.size();
            in.olderThanMaxAge = n / 8;
            in.pool = kinds.stream().map(Kind::reason).toList();
            // attempts for a subset: 70 % once, 20 % twice, 10 % at max-attempts (3)
            Map<Integer, Integer> attempts = new HashMap<>();
            List<Integer> ids = new ArrayList<>();
            for (FailedMail m : mails) {
                ids.add(m.id());
            }
            Collections.shuffle(ids, random);
            for (int i = 0; i < historyIds && i < ids.size(); i++) {
                double x = random.nextDouble();
                attempts.put(ids.get(i), x < 0.7 ? 1 : x < 0.9 ? 2 : 3);
            }
            in.history = new RetryHistory(attempts, now.minus(Duration.ofMinutes(5)), null, null, 3000,
                    now.minus(Duration.ofSeconds(30)), 100, now.minus(Duration.ofSeconds(20)));
            ServerSnapshot.SmtpTest pass = new ServerSnapshot.SmtpTest("PASS", null, "250 2.0.0 OK",
                    now.minus(Duration.ofMinutes(1)), null);
            in.servers = List.of(new ServerSnapshot(1, "relay", "smtp.example.com", 587, "odoo@example.com", "starttls", 10,
                    null, pass), new ServerSnapshot(2, "bulk", "bulk.example.com", 587, "odoo@example.com", "starttls", 20,
                    "example.com", pass));
            return in;
        }

        static int pick(double[] cumulative, double x) {
            int i = Arrays.binarySearch(cumulative, x);
            return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
        }

        String describe() {
            return candidates.size() + " exceptions, " + distinctReasons + " distinct (type, reason), classes " + classes
                    + ", models " + models + ", " + olderThanMaxAge + " older than max-age (counted only), history with "
                    + history.attempts().size() + " ids, 2 servers passing";
        }
    }

    /** A journal of retry batches shaped as RetryRun and TargetWriter write them (18 records a batch). */
    static final class JournalShapes {

        static List<JournalRecord> retryJournal(int batches, int size, Instant now, List<String> reasons, Random random) {
            List<JournalRecord> out = new ArrayList<>(batches * 18);
            long[] seq = {0};
            String writer = "0f8e6c2a-5b1d-4c3e-9a7f-2d4b6e8a0c1e/daemon";
            int distinct = Math.max(size, batches * size * 2 / 5); // each id requeued 2.5 times on average
            Instant start = now.minus(Duration.ofDays(90));
            long step = Duration.ofDays(90).toMillis() / Math.max(1, batches);
            for (int b = 0; b < batches; b++) {
                Instant at = start.plusMillis(step * b);
                int base = 1_000_000 + (int) ((long) b * size % distinct);
                List<Integer> ids = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    ids.add(base + i);
                }
                String phase = b % 20 == 0 ? "canary" : "chunk";
                int row = 900 + b;
                Map<String, Object> hold = new LinkedHashMap<>();
                hold.put("cron", 3);
                hold.put("prior_active", true);
                hold.put("since", at.toString());
                hold.put("ids", ids);
                hold.put("kind", "retry");
                pair(out, seq, at, "lock.take", "retry", List.of(), Map.of("key", "odoo_mail_watchdog.lock", "owner", writer,
                        "writer", writer), Map.of("row", row));
                pair(out, seq, at, "lock.hold", "the cron is about to be held", ids, Map.of("row", row, "hold", hold,
                        "writer", writer), Map.of());
                pair(out, seq, at, "cron.hold", "a batch of " + size + " mail(s): the cron must not run beside it", List.of(),
                        Map.of("cron", 3, "active", false, "writer", writer), Map.of());
                Map<String, Object> reasonMap = new LinkedHashMap<>();
                for (Integer id : ids) {
                    reasonMap.put(String.valueOf(id), reasons.get(random.nextInt(reasons.size())));
                }
                pair(out, seq, at, RetryHistory.REQUEUE, phase + " " + (b + 1) + " of the retry: " + size + " mail(s)", ids,
                        Map.of("phase", phase, "batch", b + 1, "reasons", reasonMap, "writer", writer),
                        Map.of("requeued", size));
                Map<String, Object> tally = new LinkedHashMap<>();
                tally.put("sent", size);
                tally.put("exception", 0);
                tally.put("outgoing", 0);
                tally.put("other", 0);
                tally.put("gone", 0);
                tally.put("phase", phase);
                tally.put("batch", b + 1);
                tally.put("same_signature", 0);
                tally.put("tripped", false);
                pair(out, seq, at.plusSeconds(5), RetryHistory.SEND, phase + " " + (b + 1)
                        + ": process_email_queue on the requeued mail(s)", ids, Map.of("phase", phase, "batch", b + 1,
                        "writer", writer), tally);
                pair(out, seq, at.plusSeconds(5), "lock.hold", "the cron is about to be held", ids, Map.of("row", row,
                        "hold", hold, "writer", writer), Map.of());
                pair(out, seq, at.plusSeconds(5), "cron.restore", "the flush is over: the cron was active before it", List.of(),
                        Map.of("cron", 3, "active", true, "writer", writer), Map.of());
                pair(out, seq, at.plusSeconds(5), "lock.hold", "the cron is restored", List.of(), Map.of("row", row,
                        "hold", "cleared", "writer", writer), Map.of());
                pair(out, seq, at.plusSeconds(5), "lock.release", "the write is done", List.of(), Map.of("row", row,
                        "writer", writer), Map.of());
            }
            return out;
        }

        static void pair(List<JournalRecord> out, long[] seq, Instant at, String action, String reason, List<Integer> ids,
                         Map<String, Object> details, Map<String, Object> outcome) {
            long intent = ++seq[0];
            out.add(new JournalRecord(intent, at, "bench", JournalRecord.INTENT, action, null, reason, null, ids, null, null,
                    details));
            out.add(new JournalRecord(++seq[0], at, "bench", JournalRecord.OUTCOME, action, intent, null, null, ids, "done",
                    null, outcome));
        }
    }

    // =====================================================================================================
    // Instruments
    // =====================================================================================================

    /** Times every XML-RPC call by its label (model.method), and says whether one is under way (for the sampler). */
    static final class TimedTransport implements OdooTransport {
        final OdooTransport inner;
        final Map<String, long[]> calls = new TreeMap<>();
        /** Odoo clears its ormcaches on every ir.config_parameter create/write/unlink: the next request rebuilds them. */
        final long[] afterIcpWrite = new long[2];
        boolean icpWritten;
        volatile boolean inCall;

        TimedTransport(OdooTransport inner) {
            this.inner = inner;
        }

        @Override
        public Object call(Service service, String method, List<Object> params, Duration replyTimeout, String label)
                throws OdooException {
            long t0 = System.nanoTime();
            inCall = true;
            try {
                return inner.call(service, method, params, replyTimeout, label);
            } finally {
                inCall = false;
                long took = System.nanoTime() - t0;
                String key = label == null ? method : label;
                long[] c = calls.computeIfAbsent(key, k -> new long[2]);
                c[0]++;
                c[1] += took;
                if (icpWritten) {
                    afterIcpWrite[0]++;
                    afterIcpWrite[1] += took;
                }
                icpWritten = key.equals("ir.config_parameter.create") || key.equals("ir.config_parameter.write")
                        || key.equals("ir.config_parameter.unlink");
            }
        }

        @Override
        public Duration replyTimeout() {
            return inner.replyTimeout();
        }

        @Override
        public Optional<Instant> serverTime() {
            return inner.serverTime();
        }

        @Override
        public long requestCount() {
            return inner.requestCount();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        void reset() {
            calls.clear();
            afterIcpWrite[0] = 0;
            afterIcpWrite[1] = 0;
            icpWritten = false;
        }

        Map<String, Map<String, Object>> table() {
            Map<String, Map<String, Object>> out = new TreeMap<>();
            calls.forEach((k, v) -> out.put(k, new LinkedHashMap<>(Map.of("n", v[0], "s", round(v[1] / 1e9, 4)))));
            return out;
        }
    }

    /**
     * Samples the retry thread's stack every {@code micros} µs and files each sample under what the thread does:
     * an XML-RPC call (timed exactly by {@link TimedTransport}), the journal (fsync, the rest of an append, the whole-file
     * read before each plan), planning, sleeping, or the watchdog class at the top of the stack.
     */
    static final class Sampler implements AutoCloseable {
        final Thread target;
        final TimedTransport transport;
        final long nanos;
        final Thread thread;
        final Map<String, Integer> counts = new TreeMap<>();
        volatile boolean running = true;
        int total;

        Sampler(Thread target, TimedTransport transport, long micros) {
            this.target = target;
            this.transport = transport;
            this.nanos = micros * 1000;
            this.thread = new Thread(this::loop, "retry-bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void loop() {
            while (running) {
                LockSupport.parkNanos(nanos);
                if (!running) {
                    break;
                }
                boolean odoo = transport.inCall;
                String what = odoo ? "in an XML-RPC call" : classify(target.getStackTrace());
                synchronized (counts) {
                    counts.merge(what, 1, Integer::sum);
                    total++;
                }
            }
        }

        static String classify(StackTraceElement[] stack) {
            boolean fsync = false;
            Set<String> journal = new HashSet<>();
            boolean history = false;
            boolean planner = false;
            boolean sleep = false;
            String top = null;
            for (StackTraceElement f : stack) {
                String c = f.getClassName();
                String m = f.getMethodName();
                if (m.equals("force") && (c.contains("FileChannel") || c.contains("FileDispatcher"))) {
                    fsync = true;
                } else if (c.equals("io.mailwatchdog.journal.Journal")) {
                    journal.add(m);
                } else if (c.equals("io.mailwatchdog.recovery.RetryHistory")) {
                    history = true;
                } else if (c.startsWith("io.mailwatchdog.recovery.RetryPlanner")) {
                    planner = true;
                } else if (c.equals("java.lang.Thread") && m.equals("sleep")) {
                    sleep = true;
                }
                if (top == null && c.startsWith("io.mailwatchdog.") && !c.startsWith("io.mailwatchdog.bench.")) {
                    top = c.substring(c.lastIndexOf('.') + 1) + "." + m;
                }
            }
            if (journal.contains("read")) {
                return "journal: read and parse the whole file before each plan";
            }
            if (journal.contains("append")) {
                return fsync ? "journal: fsync of a record" : "journal: rest of an append (open, lock, JSON, write)";
            }
            if (!journal.isEmpty()) {
                return "journal: other (" + String.join(",", journal) + ")";
            }
            if (history) {
                return "plan: RetryHistory.from";
            }
            if (planner) {
                return "plan: RetryPlanner.plan";
            }
            if (sleep) {
                return "sleep (Pause)";
            }
            return "other: " + (top == null ? "JVM" : top);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }

        int total() {
            synchronized (counts) {
                return total;
            }
        }

        /** Seconds per category: its share of the samples times the run's length. */
        Map<String, Double> shares(double seconds) {
            Map<String, Double> out = new TreeMap<>();
            synchronized (counts) {
                counts.forEach((k, v) -> out.put(k, round(seconds * v / Math.max(1, total), 4)));
            }
            return out;
        }
    }

    // =====================================================================================================
    // Plumbing
    // =====================================================================================================

    /** The 1, 5 and 15 minute load averages of this machine (shared: other work disturbs the absolute numbers). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String triple(Object v) {
        return v instanceof List<?> l ? l.get(0) + " (" + l.get(1) + "–" + l.get(2) + ")" : String.valueOf(v);
    }

    static String pct(double share) {
        return round(100 * share, 1) + " %";
    }

    static double median(double[] v) {
        return DaemonBench.median(v);
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    static double round(double v, int digits) {
        return DaemonBench.round(v, digits);
    }

    static void say(String line) {
        DaemonBench.say(line);
    }
}
