package io.mailwatchdog.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailwatchdog.simulator.SimulatedDatabase;
import io.mailwatchdog.simulator.SimulatedOdoo;
import io.mailwatchdog.simulator.Stall;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The daemon benchmark ({@code bench/daemon.sh}; bench/README.md, section "Daemon"). The simulated Odoo and
 * one GreenMail SMTP server run in this JVM (the driver); the daemon runs as a child JVM started as the
 * README and the systemd unit start it, {@code java $JAVA_OPTS -jar target/odoo-mail-watchdog.jar -c CONF run},
 * with the unit's {@code JAVA_OPTS} read from {@code systemd/odoo-mail-watchdog.service}. Its RSS (VmRSS,
 * VmHWM of {@code /proc/<pid>/status}) and CPU (utime+stime of {@code /proc/<pid>/stat}) are its own.
 *
 * <p>Scenarios (env {@code SCENARIOS}, comma-separated, run one after the other, each with a fresh simulator
 * and daemon):
 * <ul>
 *   <li>{@code idle-N}: N healthy databases (16.0–19.0 in turn, cron workers on), probed every
 *       {@code PROBE_INTERVAL}; RSS and CPU over {@code INTERVALS} probe intervals after {@code WARMUP} seconds.</li>
 *   <li>{@code busy-N}: the same, plus a backlog of {@code BUSY_MAILS} mails per database each interval, created
 *       {@code BUSY_AGE} seconds back (so the daemon flushes it), and every {@code BUSY_STALL_EVERY}-th
 *       database's mail cron deactivated (so the daemon revives it); mails delivered and duplicates.</li>
 *   <li>{@code stall}: {@code STALL_TARGETS} databases probed every {@code STALL_PROBE_INTERVAL}, flush.after
 *       {@code FLUSH_AFTER}; {@code STALL_REPEATS} times, at a random moment, the first database's mail cron is
 *       deactivated and {@code STALL_BACKLOG} new mails are queued; times to the daemon's /metrics showing it
 *       ({@code odoo_mail_scheduler_active 0}), to the cron active again, and to the first backlog mail sent.</li>
 *   <li>{@code stall-flush}: the same without the simulated cron workers, so that only the daemon's flush moves
 *       the queue (the revived cron is not run by anyone).</li>
 * </ul>
 * Not a test (no Test/IT suffix: surefire and failsafe leave it alone); it is compiled by {@code mvn verify}, so
 * it follows the simulator's API, and run with the shaded jar and {@code target/test-classes} on the classpath.
 */
public final class DaemonBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final double MIB = 1024.0;
    static final long RSS_TARGET_KIB = 128 * 1024;
    static final List<String> VERSIONS = List.of("16.0", "17.0", "18.0", "19.0");
    static final String LOCK_KEY = "odoo_mail_watchdog.lock";

    /** The knobs, from the environment (bench/daemon.sh documents them). */
    record Options(List<String> scenarios, Duration probeInterval, Duration smtpTestInterval, Duration warmup,
                   int intervals, int busyMails, Duration busyAge, int busyStallEvery, Duration stallProbeInterval,
                   int stallRepeats, boolean stallEdges, int stallBacklog, int stallTargets, String stallVersion,
                   Duration flushAfter,
                   Duration cronPoll, long seed, List<String> javaOpts, String javaOptsSource, List<String> daemonArgs,
                   Path jar, Path out, boolean diag) {

        static Options fromEnvironment() throws IOException {
            Map<String, String> env = System.getenv();
            Path jar = Path.of(env.getOrDefault("JAR", "target/odoo-mail-watchdog.jar"));
            String opts = env.get("DAEMON_JAVA_OPTS");
            String source = "DAEMON_JAVA_OPTS";
            if (opts == null) {
                opts = unitJavaOpts(Path.of("systemd/odoo-mail-watchdog.service"));
                source = "systemd/odoo-mail-watchdog.service";
            }
            long seed = env.containsKey("SEED") ? Long.parseLong(env.get("SEED")) : new Random().nextInt(1_000_000);
            return new Options(
                    List.of(env.getOrDefault("SCENARIOS", "idle-1,idle-100,busy-100,stall").split(",")),
                    seconds(env, "PROBE_INTERVAL", 60), seconds(env, "SMTP_TEST_INTERVAL", 300), seconds(env, "WARMUP", 30),
                    Integer.parseInt(env.getOrDefault("INTERVALS", "2")), Integer.parseInt(env.getOrDefault("BUSY_MAILS", "20")),
                    seconds(env, "BUSY_AGE", 600), Integer.parseInt(env.getOrDefault("BUSY_STALL_EVERY", "10")),
                    seconds(env, "STALL_PROBE_INTERVAL", 10), Integer.parseInt(env.getOrDefault("STALL_REPEATS", "3")),
                    !"0".equals(env.get("STALL_EDGES")),
                    Integer.parseInt(env.getOrDefault("STALL_BACKLOG", "20")),
                    Integer.parseInt(env.getOrDefault("STALL_TARGETS", "1")), env.getOrDefault("STALL_VERSION", "18.0"),
                    seconds(env, "FLUSH_AFTER", 60), seconds(env, "CRON_POLL", 60), seed,
                    List.of(opts.trim().split("\\s+")), source,
                    env.getOrDefault("DAEMON_ARGS", "").isBlank() ? List.of() : List.of(env.get("DAEMON_ARGS").trim().split("\\s+")),
                    jar,
                    Path.of(env.getOrDefault("OUT", "target/bench")), "1".equals(env.get("DIAG")));
        }

        static Duration seconds(Map<String, String> env, String key, long fallback) {
            return Duration.ofMillis(Math.round(Double.parseDouble(env.getOrDefault(key, Long.toString(fallback))) * 1000));
        }
    }

    /** {@code Environment="JAVA_OPTS=…"} of the systemd unit: the settings of this shape, in their one place. */
    static String unitJavaOpts(Path unit) throws IOException {
        Matcher m = Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]*)\"").matcher(Files.readString(unit));
        if (!m.find()) {
            throw new IllegalStateException("no Environment=\"JAVA_OPTS=…\" line in " + unit);
        }
        return m.group(1);
    }

    final Options o;
    final long clkTck = clockTicks();
    /** bench/daemon.sh passes its own, so that its .txt and these files share one name. */
    final String stamp = System.getenv().getOrDefault("STAMP",
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()));
    final Path jsonl;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<Map<String, Object>> results = new ArrayList<>();
    GreenMail smtp;

    DaemonBench(Options o) throws IOException {
        this.o = o;
        Files.createDirectories(o.out());
        this.jsonl = o.out().resolve("daemon-" + stamp + ".jsonl");
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        Options o = Options.fromEnvironment();
        if (!Files.isRegularFile(o.jar())) {
            System.err.println("no " + o.jar() + ": build it first (mvn -B -q -o -DskipTests package), or run bench/daemon.sh");
            System.exit(2);
        }
        DaemonBench bench = new DaemonBench(o);
        bench.run();
    }

    void run() throws Exception {
        say("daemon bench " + stamp + ": " + Runtime.getRuntime().availableProcessors() + " cores, driver JVM "
                + System.getProperty("java.vm.version") + ", CLK_TCK " + clkTck + ", seed " + o.seed());
        say("daemon: java " + String.join(" ", o.javaOpts()) + " -jar " + o.jar() + " -c <conf> run"
                + (o.daemonArgs().isEmpty() ? "" : " " + String.join(" ", o.daemonArgs())) + "   (JAVA_OPTS from "
                + o.javaOptsSource() + (o.diag() ? ", plus -XX:NativeMemoryTracking=summary for DIAG=1" : "") + ")");
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
        smtp.start();
        try {
            for (String scenario : o.scenarios()) {
                String s = scenario.trim();
                Map<String, Object> result;
                if (s.startsWith("idle-")) {
                    result = load(s, Integer.parseInt(s.substring(5)), false);
                } else if (s.startsWith("busy-")) {
                    result = load(s, Integer.parseInt(s.substring(5)), true);
                } else if (s.equals("stall")) {
                    result = stall(s, true);
                } else if (s.equals("stall-flush")) {
                    result = stall(s, false);
                } else {
                    throw new IllegalArgumentException("unknown scenario " + s + " (idle-N, busy-N, stall, stall-flush)");
                }
                results.add(result);
                Files.writeString(jsonl, JSON.writeValueAsString(result) + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                smtp.purgeEmailFromAllMailboxes();
            }
        } finally {
            smtp.stop();
        }
        printTables();
        say("raw: " + jsonl + " (daemon logs, configs, metrics: " + o.out().resolve("daemon-" + stamp) + "/)");
    }

    // ---- idle and busy ---------------------------------------------------------------------------

    Map<String, Object> load(String name, int n, boolean busy) throws Exception {
        Duration p = o.probeInterval();
        Duration window = p.multipliedBy(o.intervals());
        say("== " + name + ": " + n + " target(s), probe every " + p.toSeconds() + " s, SMTP test every "
                + o.smtpTestInterval().toSeconds() + " s; warm-up " + o.warmup().toSeconds() + " s, then "
                + o.intervals() + " interval(s) = " + window.toSeconds() + " s measured"
                + (busy ? "; " + o.busyMails() + " mails per database per interval, due for " + o.busyAge().toSeconds()
                + " s, every " + o.busyStallEvery() + "th cron deactivated each interval" : ""));
        Clock clock = Clock.systemUTC();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", name);
        r.put("targets", n);
        r.put("probe_interval_s", p.toSeconds());
        r.put("smtp_test_interval_s", o.smtpTestInterval().toSeconds());
        r.put("warmup_s", o.warmup().toSeconds());
        r.put("intervals", o.intervals());
        r.put("window_s", window.toSeconds());
        r.put("java_opts", String.join(" ", o.javaOpts()));
        r.put("daemon_args", String.join(" ", o.daemonArgs()));
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            List<SimulatedDatabase> dbs = databases(odoo, n, i -> VERSIONS.get(i % VERSIONS.size()), o.cronPoll().toMillis() > 0);
            String conf = config(name, odoo, dbs, p, "");
            ScheduledExecutorService injector = Executors.newSingleThreadScheduledExecutor();
            int[] injected = {0};
            try (Child daemon = Child.start(this, name, conf)) {
                long t0 = daemon.startedNanos;
                if (busy) {
                    injector.scheduleAtFixedRate(() -> {
                        Instant due = clock.instant().minus(o.busyAge());
                        for (int i = 0; i < dbs.size(); i++) {
                            dbs.get(i).queue(o.busyMails(), due);
                            if (o.busyStallEvery() > 0 && i % o.busyStallEvery() == 0) {
                                dbs.get(i).stall(Stall.SCHEDULER_INACTIVE);
                            }
                        }
                        synchronized (injected) {
                            injected[0] += o.busyMails() * dbs.size();
                        }
                    }, 5_000, p.toMillis(), TimeUnit.MILLISECONDS);
                }
                sleepUntil(t0 + o.warmup().toNanos());
                ProcSample start = daemon.sample();
                Map<Long, ThreadCpu> threads0 = daemon.threadCpu();
                long driverCpu0 = driverCpuNanos();
                int delivered0 = delivered(dbs);
                sleepUntil(start.nanos + window.toNanos());
                ProcSample end = daemon.sample();
                Map<Long, ThreadCpu> threads1 = daemon.threadCpu();
                long driverCpu1 = driverCpuNanos();
                int delivered1 = delivered(dbs);
                injector.shutdown();
                injector.awaitTermination(60, TimeUnit.SECONDS);
                double windowS = (end.nanos - start.nanos) / 1e9;
                double cpuS = (end.cpuTicks - start.cpuTicks) / (double) clkTck;
                List<ProcSample> inWindow = daemon.samples(start.nanos, end.nanos);
                r.put("cpu_s", round(cpuS, 3));
                r.put("cpu_s_per_interval", round(cpuS / o.intervals(), 3));
                r.put("cpu_pct_core", round(100 * cpuS / windowS, 3));
                r.put("rss_mib_start", mib(start.rssKib));
                r.put("rss_mib_median", mib(median(inWindow.stream().mapToLong(s -> s.rssKib).toArray())));
                r.put("rss_mib_max", mib(inWindow.stream().mapToLong(s -> s.rssKib).max().orElse(0)));
                r.put("rss_mib_end", mib(end.rssKib));
                r.put("hwm_mib", mib(end.hwmKib));
                r.put("rss_anon_mib_end", mib(end.rssAnonKib));
                r.put("rss_file_mib_end", mib(end.rssFileKib));
                r.put("rss_target_mib", RSS_TARGET_KIB / MIB);
                r.put("rss_target_met", end.hwmKib <= RSS_TARGET_KIB);
                r.put("threads", end.threads);
                r.put("thread_groups", daemon.threadGroups());
                r.put("thread_cpu_s_per_interval", threadCpuPerInterval(threads0, threads1, o.intervals()));
                r.put("rss_samples", inWindow.size());
                r.put("driver_cpu_pct_core", round(100 * (driverCpu1 - driverCpu0) / 1e9 / windowS, 1));
                String metrics = daemon.get("/metrics");
                Files.writeString(daemon.dir.resolve("metrics.txt"), metrics);
                r.put("targets_up", (int) sum(metrics, "odoo_up", "target="));
                r.put("targets_reported", count(metrics, "odoo_up", "target="));
                double[] probeSeconds = values(metrics, "odoo_mail_probe_duration_seconds", "target=");
                r.put("probe_ms_median", round(1000 * median(probeSeconds), 1));
                r.put("probe_ms_max", round(1000 * Arrays.stream(probeSeconds).max().orElse(0), 1));
                r.put("probe_errors", (int) sum(metrics, "odoo_mail_probe_errors_total"));
                r.put("heap_used_mib", round(sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / MIB / MIB, 1));
                r.put("heap_committed_mib", round(sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\"") / MIB / MIB, 1));
                r.put("nonheap_used_mib", round(sum(metrics, "jvm_memory_used_bytes", "area=\"nonheap\"") / MIB / MIB, 1));
                r.put("nonheap_committed_mib",
                        round(sum(metrics, "jvm_memory_committed_bytes", "area=\"nonheap\"") / MIB / MIB, 1));
                Map<String, Object> pools = new LinkedHashMap<>();
                for (String pool : List.of("Eden Space", "Survivor Space", "Tenured Gen", "Metaspace", "Compressed Class Space",
                        "CodeCache")) {
                    pools.put(pool, List.of(
                            round(sum(metrics, "jvm_memory_pool_used_bytes", "pool=\"" + pool + "\"") / MIB / MIB, 1),
                            round(sum(metrics, "jvm_memory_pool_committed_bytes", "pool=\"" + pool + "\"") / MIB / MIB, 1)));
                }
                r.put("pools_used_committed_mib", pools);
                r.put("gc_young_old_count", List.of((int) sum(metrics, "jvm_gc_collection_seconds_count", "gc=\"Copy\""),
                        (int) sum(metrics, "jvm_gc_collection_seconds_count", "gc=\"MarkSweepCompact\"")));
                if (busy) {
                    int injectedTotal;
                    synchronized (injected) {
                        injectedTotal = injected[0];
                    }
                    r.put("mails_per_db_per_interval", o.busyMails());
                    r.put("mails_injected", injectedTotal);
                    r.put("mails_delivered_window", delivered1 - delivered0);
                    r.put("mails_delivered_per_interval", round((delivered1 - delivered0) / (double) o.intervals(), 1));
                    // after the last injection, read together: injected = delivered + outgoing + exception
                    r.put("mails_delivered_total", delivered(dbs));
                    r.put("outgoing_left", dbs.stream().mapToInt(d -> d.countByState().getOrDefault("outgoing", 0)).sum());
                    r.put("exceptions", dbs.stream().mapToInt(d -> d.countByState().getOrDefault("exception", 0)).sum());
                    r.put("smtp_received_total", smtp.getReceivedMessages().length);
                    r.put("duplicates", dbs.stream().mapToInt(d -> d.duplicates().size()).sum());
                    r.put("flushes_done", (int) sum(metrics, "odoo_mail_watchdog_actions_total", "action=\"flush\"",
                            "outcome=\"done\""));
                    r.put("revives_done", (int) sum(metrics, "odoo_mail_watchdog_actions_total", "action=\"cron.revive\"",
                            "outcome=\"done\""));
                    r.put("actions_not_done", (int) (sum(metrics, "odoo_mail_watchdog_actions_total")
                            - sum(metrics, "odoo_mail_watchdog_actions_total", "outcome=\"done\"")));
                }
                // where the resident memory is: every mapping with its Rss (read with bench/README.md's awk line)
                Files.write(daemon.dir.resolve("smaps.txt"), Files.readAllBytes(Path.of("/proc", Long.toString(daemon.pid), "smaps")));
                if (o.diag()) {
                    // after the measurement: native memory by JVM area, then the heap, then the live set after a full GC
                    String pid = Long.toString(daemon.pid);
                    Files.writeString(daemon.dir.resolve("diag.txt"), String.join("\n",
                            "$ jcmd " + pid + " VM.native_memory summary", run("jcmd", pid, "VM.native_memory", "summary"),
                            "$ jcmd " + pid + " GC.heap_info", run("jcmd", pid, "GC.heap_info"),
                            "$ jcmd " + pid + " GC.run", run("jcmd", pid, "GC.run"),
                            "$ jcmd " + pid + " GC.heap_info", run("jcmd", pid, "GC.heap_info")));
                }
                daemon.stopAndRecord(r);
            } finally {
                injector.shutdownNow();
            }
        }
        say("   " + r);
        return r;
    }

    // ---- stall -> detection -> moving --------------------------------------------------------------

    /**
     * @param workers whether the simulated Odoo's cron workers run (poll every CRON_POLL), as on a healthy Odoo whose
     *                mail cron was deactivated; without them (stall-flush) only the daemon's flush moves the queue
     */
    Map<String, Object> stall(String name, boolean workers) throws Exception {
        Duration p = o.stallProbeInterval();
        Duration bound = p.plus(o.flushAfter());
        say("== " + name + ": " + o.stallTargets() + " target(s), probe every " + p.toSeconds() + " s, flush.after "
                + o.flushAfter().toSeconds() + " s, " + workersText(workers) + "; "
                + o.stallRepeats() + " stalls of " + o.stallVersion() + " with " + o.stallBacklog() + " new mails;"
                + " target: moving within " + bound.toSeconds() + " s");
        Clock clock = Clock.systemUTC();
        Random random = new Random(o.seed());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", name);
        r.put("targets", o.stallTargets());
        r.put("probe_interval_s", p.toSeconds());
        r.put("flush_after_s", o.flushAfter().toSeconds());
        r.put("overdue_grace", "default (10m; not involved: the cron is inactive, not overdue)");
        r.put("cron_workers", workersText(workers));
        r.put("stalled_version", o.stallVersion());
        r.put("backlog", o.stallBacklog());
        r.put("target_moving_s", bound.toSeconds());
        r.put("java_opts", String.join(" ", o.javaOpts()));
        List<Map<String, Object>> reps = new ArrayList<>();
        List<Map<String, Object>> worst = new ArrayList<>();
        try (SimulatedOdoo odoo = new SimulatedOdoo(clock)) {
            List<SimulatedDatabase> dbs = databases(odoo, o.stallTargets(),
                    i -> i == 0 ? o.stallVersion() : VERSIONS.get(i % VERSIONS.size()), workers);
            SimulatedDatabase db = dbs.get(0);
            String target = db.name();
            String conf = config(name, odoo, dbs, p, "flush { after = " + o.flushAfter().toMillis() + "ms }\n");
            try (Child daemon = Child.start(this, name, conf)) {
                Duration limit = bound.plus(p).plusSeconds(60);
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
                try {
                    List<Moment> moments = new ArrayList<>(Collections.nCopies(o.stallRepeats(), Moment.RANDOM));
                    if (o.stallEdges()) {
                        moments.addAll(List.of(Moment.AFTER_PROBE, Moment.BEFORE_PROBE));
                    }
                    for (int rep = 1; rep <= moments.size(); rep++) {
                        Moment moment = moments.get(rep - 1);
                        Map<String, Object> rr = stallOnce(daemon, db, rep, moment, workers, random, timer, limit, bound);
                        say("   " + rr);
                        (moment == Moment.RANDOM ? reps : worst).add(rr);
                    }
                } finally {
                    timer.shutdownNow();
                }
                r.put("duplicates", dbs.stream().mapToInt(d -> d.duplicates().size()).sum());
                r.put("mails_delivered_total", delivered(dbs));
                Files.writeString(daemon.dir.resolve("metrics.txt"), daemon.get("/metrics"));
                daemon.stopAndRecord(r);
            }
        }
        r.put("reps", reps);
        r.put("edges", worst);
        for (String k : List.of("detect_s", "revive_s", "moving_s", "drained_s")) {
            double[] v = reps.stream().map(x -> x.get(k)).filter(x -> x instanceof Double).mapToDouble(x -> (Double) x).toArray();
            Arrays.sort(v);
            r.put(k.replace("_s", "") + "_min_median_max_s", v.length == 0 ? null
                    : List.of(round(v[0], 2), round(median(v), 2), round(v[v.length - 1], 2)));
        }
        r.put("moving_target_met", reps.stream().allMatch(x -> Boolean.TRUE.equals(x.get("moving_met"))));
        r.put("detected_within_interval", reps.stream().allMatch(x -> x.get("detect_s") instanceof Double d
                && d <= p.toMillis() / 1000.0));
        return r;
    }

    /** When a stall happens, relative to the daemon's probes of the target. */
    enum Moment {
        /** At a random moment of the probe interval. */
        RANDOM("random"),
        /** Just after a probe began: the next probe, which finds the stall, is a whole interval away. */
        AFTER_PROBE("just after a probe"),
        /**
         * Half a second before a probe: found at once, but the backlog is then only that old, and the daemon flushes
         * mail due for longer than flush.after in whole seconds (Odoo's timestamps), so the flush may come one
         * probe later.
         */
        BEFORE_PROBE("0.5 s before a probe");

        final String text;

        Moment(String text) {
            this.text = text;
        }
    }

    /**
     * One stall of {@code db}'s mail cron with a new backlog, at the given moment of the probe interval.
     * With cron workers, the stalled database's worker is given a random phase at the stall: its next poll comes after
     * a random part of its period, the following ones a whole period apart (otherwise it would poll in lockstep with
     * the probes, both every 60 s from the start).
     */
    Map<String, Object> stallOnce(Child daemon, SimulatedDatabase db, int rep, Moment moment, boolean workers,
                                  Random random, ScheduledExecutorService timer, Duration limit, Duration bound)
            throws InterruptedException {
        Duration p = o.stallProbeInterval();
        String target = db.name();
        await("a quiet " + target + " before stall " + rep, limit, () -> quiet(daemon, db));
        Instant lastProbe;
        if (moment == Moment.RANDOM) {
            Thread.sleep((long) (random.nextDouble() * p.toMillis()));
            lastProbe = probedAt(daemon, target);
        } else {
            Instant previous = probedAt(daemon, target);
            await("a probe of " + target, limit, () -> {
                Instant now = probedAt(daemon, target);
                return now != null && !now.equals(previous);
            });
            lastProbe = probedAt(daemon, target);
            if (moment == Moment.BEFORE_PROBE) {
                // the probes run at a fixed rate: the next one begins one interval after this one began
                Duration wait = Duration.between(Instant.now(), lastProbe.plus(p).minusMillis(500));
                Thread.sleep(Math.max(0, wait.toMillis()));
            }
        }
        int sentBefore = db.countByState().getOrDefault("sent", 0);
        if (workers && o.cronPoll().toMillis() > 0) {
            // the worker's next poll at a random moment of its period, then every period again
            long phase = 1 + (long) (random.nextDouble() * (o.cronPoll().toMillis() - 1));
            db.cronPollPeriod(Duration.ofMillis(phase));
            timer.schedule(() -> {
                db.cronPollPeriod(o.cronPoll());
            }, phase + 50, TimeUnit.MILLISECONDS);
        }
        db.stall(Stall.SCHEDULER_INACTIVE);
        long t = System.nanoTime();
        Instant stalledAt = Instant.now();
        db.queue(o.stallBacklog(), stalledAt);
        Map<String, Object> rr = new LinkedHashMap<>();
        rr.put("rep", moment == Moment.RANDOM ? Integer.toString(rep) : moment.text);
        rr.put("since_last_probe_s", lastProbe == null ? null
                : round(Duration.between(lastProbe, stalledAt).toMillis() / 1000.0, 2));
        long detected = -1;
        long revived = -1;
        long moving = -1;
        long nextMetrics = 0;
        String movedBy = null;
        long deadline = t + limit.toNanos();
        while ((detected < 0 || revived < 0 || moving < 0) && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (detected < 0 && now >= nextMetrics) {
                nextMetrics = now + 50_000_000L;
                if (metricLine(daemon.getQuietly("/metrics"), "odoo_mail_scheduler_active", target) == 0.0) {
                    detected = System.nanoTime();
                }
            }
            if (revived < 0 && db.mailCron().active()) {
                revived = System.nanoTime();
            }
            if (moving < 0 && db.countByState().getOrDefault("sent", 0) > sentBefore) {
                moving = System.nanoTime();
                movedBy = db.param(LOCK_KEY).isPresent() ? "flush" : "cron";
            }
            Thread.sleep(10);
        }
        rr.put("detect_s", seconds(t, detected));
        rr.put("revive_s", seconds(t, revived));
        rr.put("moving_s", seconds(t, moving));
        rr.put("moved_by", movedBy);
        rr.put("moving_met", moving >= 0 && moving - t <= bound.toNanos());
        await("the backlog of stall " + rep + " sent", limit, () -> db.countByState().getOrDefault("outgoing", 0) == 0);
        rr.put("drained_s", seconds(t, System.nanoTime()));
        return rr;
    }

    /** Nothing left from the last stall, and the daemon has probed since: cron active, no hold, nothing due. */
    boolean quiet(Child daemon, SimulatedDatabase db) {
        if (!db.mailCron().active() || db.param(LOCK_KEY).isPresent() || db.countByState().getOrDefault("outgoing", 0) > 0) {
            return false;
        }
        String metrics = daemon.getQuietly("/metrics");
        return metricLine(metrics, "odoo_mail_scheduler_active", db.name()) == 1.0
                && metricLine(metrics, "odoo_mail_messages", db.name(), "state=\"outgoing\"") == 0.0;
    }

    Instant probedAt(Child daemon, String target) {
        try {
            for (JsonNode t : JSON.readTree(daemon.get("/status")).path("targets")) {
                if (t.path("target").asText().equals(target) && t.hasNonNull("probedAt")) {
                    return Instant.parse(t.path("probedAt").asText());
                }
            }
        } catch (Exception e) {
            // no report yet
        }
        return null;
    }

    // ---- the simulated Odoo and the config ---------------------------------------------------------

    String workersText(boolean workers) {
        return workers && o.cronPoll().toMillis() > 0 ? "cron workers poll every " + o.cronPoll().toSeconds() + " s"
                : "no cron workers (only the daemon's flush sends)";
    }

    List<SimulatedDatabase> databases(SimulatedOdoo odoo, int n, java.util.function.IntFunction<String> version,
                                      boolean workers) {
        List<SimulatedDatabase> dbs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SimulatedDatabase db = odoo.addDatabase(String.format("db%03d", i), version.apply(i));
            db.userEmail("admin@db" + i + ".example.com"); // 19.0 has none: its SMTP test would be INCONCLUSIVE
            db.addMailServer("relay", "127.0.0.1", smtp.getSmtp().getPort());
            if (workers && o.cronPoll().toMillis() > 0) {
                db.cronPollPeriod(o.cronPoll()).cronWorkers(true); // a healthy Odoo: cron workers poll
            }
            dbs.add(db);
        }
        return dbs;
    }

    String config(String name, SimulatedOdoo odoo, List<SimulatedDatabase> dbs, Duration probe, String extra) {
        StringBuilder targets = new StringBuilder();
        for (SimulatedDatabase db : dbs) {
            targets.append("  { name = ").append(db.name()).append(", url = \"").append(odoo.url(db.name()))
                    .append("\", database = ").append(db.name()).append(", login = admin, password = admin }\n");
        }
        return """
                # written by DaemonBench (%s)
                http { port = 0 }
                schedule { probe-interval = %dms, smtp-test-interval = %dms }
                %stargets = [
                %s]
                """.formatted(name, probe.toMillis(), o.smtpTestInterval().toMillis(), extra, targets);
    }

    static int delivered(List<SimulatedDatabase> dbs) {
        return dbs.stream().mapToInt(SimulatedDatabase::deliveryCount).sum();
    }

    // ---- the daemon as a child process -------------------------------------------------------------

    /** One /proc reading of the child. */
    record ProcSample(long nanos, long rssKib, long hwmKib, long rssAnonKib, long rssFileKib, int threads, long cpuTicks) {
    }

    /** One thread's name and utime+stime ticks so far, from /proc/<pid>/task/<tid>/stat. */
    record ThreadCpu(String group, long ticks) {
    }

    /**
     * CPU seconds per probe interval by thread group over the window, largest first. A thread that ended within
     * the window is missing (its CPU counts in the process total only); one that started within it counts in full.
     */
    Map<String, Double> threadCpuPerInterval(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, int intervals) {
        Map<String, Long> ticks = new TreeMap<>();
        after.forEach((tid, t) -> {
            ThreadCpu b = before.get(tid);
            ticks.merge(t.group(), t.ticks() - (b == null ? 0 : b.ticks()), Long::sum);
        });
        Map<String, Double> out = new LinkedHashMap<>();
        ticks.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), round(e.getValue() / (double) clkTck / intervals, 3)));
        return out;
    }

    static final class Child implements AutoCloseable {
        final DaemonBench bench;
        final Path dir;
        final Process process;
        final long pid;
        final long startedNanos;
        final List<ProcSample> samples = Collections.synchronizedList(new ArrayList<>());
        final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        int port = -1;

        private Child(DaemonBench bench, Path dir, Process process, long startedNanos) {
            this.bench = bench;
            this.dir = dir;
            this.process = process;
            this.pid = process.pid();
            this.startedNanos = startedNanos;
        }

        static Child start(DaemonBench bench, String name, String conf) throws Exception {
            Path dir = bench.o.out().resolve("daemon-" + bench.stamp).resolve(name);
            Files.createDirectories(dir);
            Path state = dir.resolve("state");
            Files.createDirectories(state);
            Path file = dir.resolve("watchdog.conf");
            Files.writeString(file, "state-dir = \"" + state.toAbsolutePath() + "\"\n" + conf);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(bench.o.javaOpts());
            if (bench.o.diag()) {
                cmd.add("-XX:NativeMemoryTracking=summary");
            }
            cmd.addAll(List.of("-jar", bench.o.jar().toString(), "-c", file.toString(), "run"));
            cmd.addAll(bench.o.daemonArgs());
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.log").toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            long started = System.nanoTime();
            Child c = new Child(bench, dir, pb.start(), started);
            try {
                c.sampler.scheduleAtFixedRate(c::sampleQuietly, 0, 1, TimeUnit.SECONDS);
                Pattern line = Pattern.compile("status http://127\\.0\\.0\\.1:(\\d+)/");
                await("the daemon's first line (" + dir.resolve("stderr.log") + ")", Duration.ofSeconds(60), () -> {
                    if (!c.process.isAlive()) {
                        throw new IllegalStateException("the daemon exited with " + c.process.exitValue() + "; see "
                                + dir.resolve("stderr.log"));
                    }
                    Matcher m = line.matcher(read(dir.resolve("stdout.txt")));
                    if (m.find()) {
                        c.port = Integer.parseInt(m.group(1));
                    }
                    return c.port > 0;
                });
                await("/readyz", Duration.ofSeconds(30), () -> c.getQuietly("/readyz").trim().equals("ready"));
            } catch (Exception | Error e) {
                c.close();
                throw e;
            }
            return c;
        }

        ProcSample sample() throws IOException {
            Map<String, Long> status = new TreeMap<>();
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                Matcher m = Pattern.compile("^(\\w+):\\s+(\\d+)").matcher(l);
                if (m.find()) {
                    status.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after "(comm)": state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
            return new ProcSample(System.nanoTime(), status.getOrDefault("VmRSS", 0L), status.getOrDefault("VmHWM", 0L),
                    status.getOrDefault("RssAnon", 0L), status.getOrDefault("RssFile", 0L) + status.getOrDefault("RssShmem", 0L),
                    status.getOrDefault("Threads", 0L).intValue(), ticks);
        }

        void sampleQuietly() {
            try {
                samples.add(sample());
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }

        List<ProcSample> samples(long from, long to) {
            synchronized (samples) {
                return samples.stream().filter(s -> s.nanos >= from && s.nanos <= to).toList();
            }
        }

        /**
         * A thread's group: its name (15 characters in /proc) with numbers as #; the Quartz scheduler thread
         * (mail-watchdog-&lt;uuid&gt;_QuartzSchedulerThread) as "quartz-scheduler"; the pool's workers are "watchdog-#".
         */
        static String group(String comm) {
            return comm.startsWith("mail-watchdog-") ? "quartz-scheduler" : comm.replaceAll("\\d+", "#");
        }

        Map<Long, ThreadCpu> threadCpu() throws IOException {
            Map<Long, ThreadCpu> out = new TreeMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                        out.put(Long.parseLong(task.getFileName().toString()),
                                new ThreadCpu(group(comm), Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])));
                    } catch (IOException ended) {
                        // the thread ended meanwhile
                    }
                }
            }
            return out;
        }

        /** Threads by name with numbers replaced by # (watchdog-3 → watchdog-#). */
        Map<String, Integer> threadGroups() throws IOException {
            Map<String, Integer> groups = new TreeMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String comm = Files.readString(task.resolve("comm")).trim();
                        groups.merge(group(comm), 1, Integer::sum);
                    } catch (IOException ended) {
                        // the thread ended meanwhile
                    }
                }
            }
            return groups;
        }

        String get(String path) throws IOException, InterruptedException {
            HttpResponse<String> res = bench.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return res.body();
        }

        String getQuietly(String path) {
            try {
                return get(path);
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        /** SIGTERM, as systemd stops it; the exit code and the time it took go into the result. */
        void stopAndRecord(Map<String, Object> r) throws InterruptedException, IOException {
            StringBuilder csv = new StringBuilder("t_s,rss_kib,hwm_kib,rss_anon_kib,rss_file_kib,threads,cpu_ticks\n");
            synchronized (samples) {
                for (ProcSample x : samples) {
                    csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d%n", (x.nanos - startedNanos) / 1e9, x.rssKib,
                            x.hwmKib, x.rssAnonKib, x.rssFileKib, x.threads, x.cpuTicks));
                }
            }
            Files.writeString(dir.resolve("proc-samples.csv"), csv);
            long t = System.nanoTime();
            process.destroy();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            r.put("stop_s", round((System.nanoTime() - t) / 1e9, 2));
            r.put("exit_code", exited ? process.exitValue() : null);
            r.put("daemon_dir", dir.toString());
        }

        @Override
        public void close() {
            sampler.shutdownNow();
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ---- the tables ---------------------------------------------------------------------------------

    void printTables() {
        List<Map<String, Object>> load = results.stream().filter(r -> r.containsKey("cpu_s")).toList();
        if (!load.isEmpty()) {
            say("");
            say("| scenario | targets | window | CPU s per interval | CPU % of one core | RSS MiB median / max in window"
                    + " | RSS peak (VmHWM) MiB | ≤ 128 MiB | anon / file MiB | threads | heap used / committed MiB"
                    + " | probe ms median / max |");
            say("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Map<String, Object> r : load) {
                say("| " + r.get("scenario") + " | " + r.get("targets_up") + "/" + r.get("targets") + " up | "
                        + r.get("intervals") + " × " + r.get("probe_interval_s") + " s | " + r.get("cpu_s_per_interval") + " | "
                        + r.get("cpu_pct_core") + " | " + r.get("rss_mib_median") + " / " + r.get("rss_mib_max") + " | "
                        + r.get("hwm_mib") + " | " + (Boolean.TRUE.equals(r.get("rss_target_met")) ? "yes" : "**no**") + " | "
                        + r.get("rss_anon_mib_end") + " / " + r.get("rss_file_mib_end") + " | " + r.get("threads") + " | "
                        + r.get("heap_used_mib") + " / " + r.get("heap_committed_mib") + " | " + r.get("probe_ms_median")
                        + " / " + r.get("probe_ms_max") + " |");
            }
            say("");
            for (Map<String, Object> r : load) {
                StringBuilder top = new StringBuilder();
                @SuppressWarnings("unchecked")
                Map<String, Double> byThread = (Map<String, Double>) r.get("thread_cpu_s_per_interval");
                byThread.entrySet().stream().limit(8).forEach(e -> top.append(top.length() == 0 ? "" : ", ")
                        .append(e.getKey()).append(' ').append(e.getValue()));
                say(r.get("scenario") + ": CPU s per interval by thread: " + top);
            }
            for (Map<String, Object> r : load) {
                if (r.containsKey("mails_injected")) {
                    say("");
                    say(r.get("scenario") + ": " + r.get("mails_delivered_window") + " mails delivered in the window ("
                            + r.get("mails_delivered_per_interval") + " per interval, " + r.get("mails_per_db_per_interval")
                            + " per database injected per interval), " + r.get("mails_delivered_total") + " of "
                            + r.get("mails_injected") + " injected delivered in all, " + r.get("outgoing_left")
                            + " still outgoing at the end (the last injection), " + r.get("exceptions") + " exceptions, duplicates "
                            + r.get("duplicates") + "; actions done: "
                            + r.get("flushes_done") + " flushes, " + r.get("revives_done") + " revives, "
                            + r.get("actions_not_done") + " not done");
                }
            }
        }
        for (Map<String, Object> r : results) {
            if (!String.valueOf(r.get("scenario")).startsWith("stall")) {
                continue;
            }
            say("");
            say(r.get("scenario") + " → detection → moving: " + r.get("targets") + " target(s), probe every "
                    + r.get("probe_interval_s") + " s, flush.after " + r.get("flush_after_s") + " s, " + r.get("cron_workers")
                    + "; target: moving within " + r.get("target_moving_s") + " s (probe interval + flush.after)");
            say("| rep | since last probe s | detected s | cron active again s | first backlog mail sent s (by) | all sent s | ≤ target |");
            say("|---|---|---|---|---|---|---|");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> reps = (List<Map<String, Object>>) r.get("reps");
            for (Map<String, Object> x : reps) {
                say("| " + x.get("rep") + " | " + x.get("since_last_probe_s") + " | " + x.get("detect_s") + " | "
                        + x.get("revive_s") + " | " + x.get("moving_s") + " (" + x.get("moved_by") + ") | "
                        + x.get("drained_s") + " | " + (Boolean.TRUE.equals(x.get("moving_met")) ? "yes" : "**no**") + " |");
            }
            say("| min / median / max | | " + join(r.get("detect_min_median_max_s")) + " | "
                    + join(r.get("revive_min_median_max_s")) + " | " + join(r.get("moving_min_median_max_s")) + " | "
                    + join(r.get("drained_min_median_max_s")) + " | "
                    + (Boolean.TRUE.equals(r.get("moving_target_met")) ? "yes" : "**no**") + " |");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> worst = (List<Map<String, Object>>) r.get("edges");
            for (Map<String, Object> x : worst) {
                say("| " + x.get("rep") + " | " + x.get("since_last_probe_s") + " | " + x.get("detect_s") + " | "
                        + x.get("revive_s") + " | " + x.get("moving_s") + " (" + x.get("moved_by") + ") | "
                        + x.get("drained_s") + " | " + (Boolean.TRUE.equals(x.get("moving_met")) ? "yes" : "**no**") + " |");
            }
            say("duplicates " + r.get("duplicates") + ", mails delivered " + r.get("mails_delivered_total"));
        }
    }

    static String join(Object triple) {
        return triple instanceof List<?> l ? l.get(0) + " / " + l.get(1) + " / " + l.get(2) : "-";
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    /** The value of the first line of {@code name} whose labels contain all fragments (target by name); NaN if none. */
    static double metricLine(String text, String name, String target, String... fragments) {
        List<String> all = new ArrayList<>(List.of(fragments));
        all.add("target=\"" + target + "\"");
        double[] v = values(text, name, all.toArray(String[]::new));
        return v.length == 0 ? Double.NaN : v[0];
    }

    static double[] values(String text, String name, String... fragments) {
        List<Double> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String head = line.substring(0, space);
            if (Arrays.stream(fragments).allMatch(head::contains)) {
                out.add(Double.parseDouble(line.substring(space + 1)));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double sum(String text, String name, String... fragments) {
        return Arrays.stream(values(text, name, fragments)).sum();
    }

    static int count(String text, String name, String... fragments) {
        return values(text, name, fragments).length;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long median(long[] v) {
        if (v.length == 0) {
            return 0;
        }
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double mib(long kib) {
        return round(kib / MIB, 1);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static Double seconds(long from, long to) {
        return to < 0 ? null : round((to - from) / 1e9, 2);
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        for (long left; (left = nanos - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 1000)));
        }
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static long driverCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long clockTicks() {
        try {
            return Long.parseLong(run("getconf", "CLK_TCK").trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("getconf CLK_TCK failed: " + e, e);
        }
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * WARN only, whichever logback file is found first (target/test-classes holds logback-test.xml). GreenMail
     * prints a stack trace for each SMTP test (Odoo's test hangs up after DATA, and so does the simulator's).
     */
    static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("io.mailwatchdog").setLevel(Level.WARN);
            context.getLogger("com.icegreen").setLevel(Level.ERROR);
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (thread.getName().startsWith("smtp:")) {
                return;
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.println("Exception in thread \"" + thread.getName() + "\" " + e);
            }
        });
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
