/*
 * Benchmark of the watchdog's probe against a real Odoo, to compare with bench/probe_baseline.py.
 *
 *   mvn -B -q -o -DskipTests package
 *   java -cp target/odoo-mail-watchdog.jar bench/ProbeBench.java --url http://127.0.0.1:8069 --db watchdog \
 *        --login admin --password admin --probes 50 --warmup 20 [--mode both|five-facts|full] [--no-server-cpu]
 *        [--full-probes N] [--full-warmup N]   (default: the same as --probes / --warmup)
 *
 * Two modes, each printing one JSON line:
 *  five-facts  the same 5 reader calls as the Python baseline, on one session opened (and logged in)
 *              before the loop: countByState, oldestDue(now, 100), latestExceptions(50), the mail cron's
 *              read, activeServers.
 *  full        Probe.probe(target) end to end, a new session each probe as `check` does (version,
 *              authenticate, the cron's XML id, 8 reads, plus conditional extras and SMTP tests).
 * Client CPU is the whole JVM's (OperatingSystemMXBean.getProcessCpuTime: every thread, JIT, GC and
 * HttpClient's selector included), measured after the warm-up probes, like Python's
 * time.process_time(); the main thread's own CPU (ThreadMXBean) is given beside it. Server CPU is
 * read from /proc before and after the measured loop: the Odoo process found by the URL's
 * listening port (ss -ltnp) and every `postgres` process, the postmaster's cutime/cstime included
 * (Odoo opens and closes a PostgreSQL connection per XML-RPC request, so those backends are gone
 * by the end).
 */

import ch.qos.logback.classic.Level;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsLoader;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.odoo.MailCronReader;
import io.mailwatchdog.odoo.MailQueueReader;
import io.mailwatchdog.odoo.MailServerReader;
import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.TransportOptions;
import io.mailwatchdog.odoo.XmlRpcOdooTransport;
import io.mailwatchdog.probe.Probe;
import io.mailwatchdog.probe.Snapshot;
import io.mailwatchdog.state.LoginParking;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

public class ProbeBench {

    /** --threads: add the JVM's CPU per thread group (from /proc/self/task) to each line. */
    static boolean threadBreakdown;

    /** Same limits as the Python baseline. */
    static final int OLDEST = 100;
    static final int EXCEPTIONS = 50;

    interface Step {
        /** One probe; returns the requests it made. */
        long run() throws Exception;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        String url = a.getOrDefault("url", env("ODOO_URL", "http://127.0.0.1:8069"));
        String db = a.getOrDefault("db", env("ODOO_DB", "watchdog"));
        String login = a.getOrDefault("login", env("ODOO_LOGIN", "admin"));
        String password = a.getOrDefault("password", env("ODOO_PASSWORD", "admin"));
        int probes = Integer.parseInt(a.getOrDefault("probes", "50"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "20"));
        String mode = a.getOrDefault("mode", "both");
        // The full probe logs in each time (Odoo hashes the password: ~0.5 s of its CPU), so fewer by default.
        int fullProbes = Integer.parseInt(a.getOrDefault("full-probes", String.valueOf(probes)));
        int fullWarmup = Integer.parseInt(a.getOrDefault("full-warmup", String.valueOf(warmup)));
        boolean serverCpu = !a.containsKey("no-server-cpu");
        boolean smtpTest = a.containsKey("smtp-test");
        threadBreakdown = a.containsKey("threads");
        quietLogs();

        Integer odooPid = null;
        if (serverCpu) {
            URI u = URI.create(url);
            int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
            odooPid = a.containsKey("odoo-pid") ? Integer.valueOf(a.get("odoo-pid")) : pidListeningOn(port);
        }

        if (mode.equals("both") || mode.equals("five-facts")) {
            XmlRpcOdooTransport transport = new XmlRpcOdooTransport(new TransportOptions(URI.create(url),
                    Duration.ofSeconds(10), Duration.ofSeconds(30), TransportOptions.DEFAULT_MAX_RESPONSE_BYTES,
                    Optional.empty()));
            OdooSession session = new OdooSession(transport, db, login, password);
            String version = session.version().label();
            session.login();
            MailCronReader cron = new MailCronReader(session);
            int cronId = cron.resolveId().orElseThrow(() -> new IllegalStateException("no mail cron"));
            MailQueueReader queue = new MailQueueReader(session);
            MailServerReader servers = new MailServerReader(session);
            Step fiveFacts = () -> {
                long before = transport.requestCount();
                queue.countByState();
                queue.oldestDue(Instant.now(), OLDEST);
                queue.latestExceptions(EXCEPTIONS);
                cron.read(cronId).orElseThrow();
                servers.activeServers();
                return transport.requestCount() - before;
            };
            System.out.println(measure("five-facts", version, fiveFacts, probes, warmup, odooPid, Map.of()));
        }

        if (mode.equals("both") || mode.equals("full")) {
            Path dir = Files.createTempDirectory("probe-bench");
            try {
                Path conf = dir.resolve("bench.conf");
                Files.writeString(conf, String.join("\n",
                        "state-dir = " + quote(dir.resolve("state").toString()),
                        "probe.smtp-test = " + smtpTest,
                        "targets = [ {",
                        "  name = \"bench\"",
                        "  url = " + quote(url),
                        "  database = " + quote(db),
                        "  login = " + quote(login),
                        "  password-env = \"PROBE_BENCH_PASSWORD\"",
                        "} ]", ""), StandardCharsets.UTF_8);
                Settings settings = SettingsLoader.load(Optional.of(conf), Map.of("PROBE_BENCH_PASSWORD", password));
                TargetSettings target = settings.targets().get(0);
                StateFiles state = new StateFiles(settings.stateDir());
                Probe probe = new Probe(Clock.systemUTC(), new LoginParking(state), new SmtpTestMemory(state), smtpTest);
                String[] version = {"?"};
                Map<String, Object> extra = new LinkedHashMap<>();
                Step full = () -> {
                    Snapshot s = probe.probe(target, Instant.now().plusSeconds(60));
                    if (!s.reached()) {
                        throw new IllegalStateException("probe failed: " + s.failure());
                    }
                    version[0] = s.odooVersion();
                    extra.put("due", s.queue().due());
                    extra.put("counts", s.queue().counts().toString());
                    extra.put("exception_sample", s.queue().exceptionSampleSize() + "/" + s.queue().exceptionSampleLimit());
                    extra.put("servers", s.servers().size());
                    return s.requests();
                };
                full.run(); // learn the version before printing
                System.out.println(measure("full-probe", version[0], full, fullProbes, fullWarmup, odooPid, extra));
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static String measure(String mode, String version, Step step, int probes, int warmup, Integer odooPid,
                          Map<String, Object> extra) throws Exception {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> tasks0 = threadBreakdown ? taskTicks() : Map.of();
        long odoo0 = odooPid == null ? 0 : procTicks(odooPid);
        long pg0 = odooPid == null ? 0 : postgresTicks();
        long wall0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long requests = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < probes; i++) {
            long r = step.run();
            requests += r;
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        long odoo = odooPid == null ? 0 : procTicks(odooPid) - odoo0;
        long pg = odooPid == null ? 0 : postgresTicks() - pg0;
        Map<String, Long> tasks1 = threadBreakdown ? taskTicks() : Map.of();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("client", "java-odoo-mail-watchdog");
        out.put("version", version);
        out.put("probes", probes);
        out.put("warmup", warmup);
        out.put("requests_per_probe", (double) requests / probes);
        if (min != max) {
            out.put("requests_min_max", min + "-" + max);
        }
        out.put("wall_ms_per_probe", round(wall / 1e6 / probes));
        out.put("cpu_ms_per_probe", round(cpu / 1e6 / probes));
        out.put("cpu_source", "process");
        out.put("thread_cpu_ms_per_probe", round(thread / 1e6 / probes));
        if (odooPid != null) {
            double tick = 1000.0 / clockTicks() / probes;
            out.put("odoo_pid", odooPid);
            out.put("odoo_cpu_ms_per_probe", round(odoo * tick));
            out.put("postgres_cpu_ms_per_probe", round(pg * tick));
            out.put("server_cpu_ms_per_probe", round((odoo + pg) * tick));
        }
        if (threadBreakdown) {
            Map<String, Long> delta = new java.util.TreeMap<>();
            tasks1.forEach((k, v) -> delta.merge(k, v - tasks0.getOrDefault(k, 0L), Long::sum));
            double tick = 1000.0 / clockTicks() / probes;
            StringBuilder b = new StringBuilder();
            delta.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append('=')
                            .append(round(e.getValue() * tick)));
            out.put("jvm_thread_cpu_ms_per_probe", b.toString());
        }
        out.putAll(extra);
        return json(out);
    }

    // ---- /proc ------------------------------------------------------------------------------

    /** utime + stime + cutime + cstime of a process, in clock ticks; 0 when it is gone. */
    static long procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The JVM's own threads by name (digits folded: "GC Thread#0" and "#1" add up), utime+stime ticks. */
    static Map<String, Long> taskTicks() throws IOException {
        Map<String, Long> out = new java.util.HashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(self), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // thread ended meanwhile (its ticks then only show in the process total)
                }
            }
        }
        return out;
    }

    /** Every process named postgres; the postmaster's cutime/cstime hold the backends already reaped. */
    static long postgresTicks() throws IOException {
        long total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if ("postgres".equals(Files.readString(p.resolve("comm")).strip())) {
                        total += procTicks(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return total;
    }

    static int pidListeningOn(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no process listening on port " + port
                    + " (Odoo on another machine, or another user's process: pass --odoo-pid or --no-server-cpu)");
        }
        return Integer.parseInt(m.group(1));
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /** As the CLI does (LoggingSetup): WARN, so that the transport's per-request DEBUG line costs nothing. */
    static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }

    static Map<String, String> args(String[] argv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + k);
            }
            k = k.substring(2);
            if (k.equals("no-server-cpu") || k.equals("smtp-test") || k.equals("threads")) {
                out.put(k, "true");
            } else if (k.contains("=")) {
                out.put(k.substring(0, k.indexOf('=')), k.substring(k.indexOf('=') + 1));
            } else {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + k + " needs a value");
                }
                out.put(k, argv[++i]);
            }
        }
        return out;
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String json(Map<String, Object> map) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            b.append(v instanceof Number ? String.format(Locale.ROOT, "%s", v) : quote(String.valueOf(v)));
        }
        return b.append('}').toString();
    }
}
