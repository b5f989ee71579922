package io.mailwatchdog.config;

import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the blocks that the root sets as defaults and a target may override. */
final class SharedSettingsReader {
    private final ValueReader read;
    private final Path baseDir;

    /** @param baseDir relative file names are taken relative to the config file's directory */
    SharedSettingsReader(ValueReader read, Path baseDir) {
        this.read = read;
        this.baseDir = baseDir;
    }

    Timeouts timeouts(Scope s) {
        return new Timeouts(
                read.positiveDuration(s, "timeouts.connect", "10s"),
                read.positiveDuration(s, "timeouts.reply", "30s"),
                read.positiveDuration(s, "timeouts.smtp-test", "30s"));
    }

    Thresholds thresholds(Scope s) {
        String t = "thresholds.";
        Duration oldestWarn = read.positiveDuration(s, t + "oldest-outgoing-warn", "15m");
        Duration oldestFail = read.positiveDuration(s, t + "oldest-outgoing-fail", "60m");
        Duration overdueWarn = read.positiveDuration(s, t + "scheduler-overdue-warn", "10m");
        Duration overdueFail = read.positiveDuration(s, t + "scheduler-overdue-fail", "60m");
        int exceptionsWarn = read.positiveInt(s, t + "exceptions-last-hour-warn");
        int exceptionsFail = read.positiveInt(s, t + "exceptions-last-hour-fail");
        int failuresWarn = read.positiveInt(s, t + "scheduler-failures-warn");
        int failuresFail = read.positiveInt(s, t + "scheduler-failures-fail");
        warnNotAboveFail(s, "oldest-outgoing", oldestWarn.compareTo(oldestFail), !oldestWarn.isZero() && !oldestFail.isZero());
        warnNotAboveFail(s, "scheduler-overdue", overdueWarn.compareTo(overdueFail), !overdueWarn.isZero() && !overdueFail.isZero());
        warnNotAboveFail(s, "exceptions-last-hour", Integer.compare(exceptionsWarn, exceptionsFail), exceptionsWarn > 0 && exceptionsFail > 0);
        warnNotAboveFail(s, "scheduler-failures", Integer.compare(failuresWarn, failuresFail), failuresWarn > 0 && failuresFail > 0);
        return new Thresholds(oldestWarn, oldestFail, overdueWarn, overdueFail,
                exceptionsWarn, exceptionsFail, failuresWarn, failuresFail);
    }

    /** Upper bounds: a sample or a reply larger than these would only cost memory and time. */
    static final int MAX_EXCEPTION_SAMPLE = 1000;
    static final long MAX_RESPONSE_BYTES = 256L * 1024 * 1024;

    ProbeSettings probe(Scope s) {
        int sample = read.positiveInt(s, "probe.exception-sample");
        if (sample > MAX_EXCEPTION_SAMPLE) {
            read.problem(s, "probe.exception-sample", "at most " + MAX_EXCEPTION_SAMPLE + ", got " + sample);
        }
        long maxResponse = read.positiveBytes(s, "probe.max-response-size", "16MiB");
        if (maxResponse > MAX_RESPONSE_BYTES) {
            read.problem(s, "probe.max-response-size", "at most 256MiB, got " + maxResponse + " bytes");
        }
        return new ProbeSettings(sample, maxResponse,
                read.bool(s, "probe.smtp-test"),
                read.positiveDuration(s, "probe.smtp-auth-retest-after", "1h"),
                read.positiveInt(s, "probe.concurrency"));
    }

    TlsSettings tls(Scope s) {
        Optional<String> configured = read.string(s, "tls.ca-file").filter(f -> !f.isBlank());
        if (configured.isEmpty()) {
            return new TlsSettings(Optional.empty());
        }
        Path file = baseDir.resolve(configured.get());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            read.problem(s, "tls.ca-file", "CA file " + file + " is not a readable file");
        } else if (!holdsCertificates(file)) {
            read.problem(s, "tls.ca-file", "no PEM or DER X.509 certificate in " + file);
        }
        return new TlsSettings(Optional.of(file));
    }

    /** Parsed here, so that a wrong file is a config error (exit 78), not a failure of every call. */
    private static boolean holdsCertificates(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return !java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty();
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            return false;
        }
    }

    boolean allowInsecureHttp(Scope s) {
        return read.bool(s, "allow-insecure-http");
    }

    Mode mode(Scope s) {
        return read.oneOf(s, "mode", List.of("act", "observe"))
                .map(word -> Mode.valueOf(word.toUpperCase(Locale.ROOT)))
                .orElse(Mode.ACT);
    }

    ScheduleSettings schedule(Scope s) {
        return new ScheduleSettings(
                read.positiveDuration(s, "schedule.probe-interval", "60s"),
                read.positiveDuration(s, "schedule.smtp-test-interval", "5m"));
    }

    SchedulerWatchdogSettings schedulerWatchdog(Scope s) {
        return new SchedulerWatchdogSettings(
                read.bool(s, "scheduler-watchdog.enabled"),
                read.positiveDuration(s, "scheduler-watchdog.overdue-grace", "10m"),
                read.positiveDuration(s, "scheduler-watchdog.stuck-after", "30m"));
    }

    /** More mail per call only makes each call longer; Odoo's own batches stop at 10,000. */
    static final int MAX_FLUSH_BATCH = 10_000;

    FlushSettings flush(Scope s) {
        return new FlushSettings(
                read.bool(s, "flush.enabled"),
                read.positiveDuration(s, "flush.after", "5m"),
                read.intInRange(s, "flush.batch-size", 1, MAX_FLUSH_BATCH, "from 1 to " + MAX_FLUSH_BATCH),
                read.positiveInt(s, "flush.max-batches-per-run"),
                read.positiveDuration(s, "flush.call-timeout", "5m"));
    }

    /** A chunk larger than this only makes each call longer: Odoo sends a batch within one call. */
    static final int MAX_RETRY_CHUNK = 1000;

    RetrySettings retry(Scope s) {
        String r = "retry.";
        int canary = read.intInRange(s, r + "canary-size", 1, MAX_RETRY_CHUNK, "from 1 to " + MAX_RETRY_CHUNK);
        int chunk = read.intInRange(s, r + "chunk-size", 1, MAX_RETRY_CHUNK, "from 1 to " + MAX_RETRY_CHUNK);
        int rate = read.intInRange(s, r + "rate-per-minute", 0, 1_000_000, "0 (unpaced) or a number of mails per minute");
        int quota = read.intInRange(s, r + "daily-quota", 0, Integer.MAX_VALUE, "0 (none) or a number of mails per day");
        int attempts = read.intInRange(s, r + "max-attempts", 1, 100, "from 1 to 100");
        Duration maxAge = read.positiveDuration(s, r + "max-age", "48h");
        double threshold = read.fraction(s, r + "failure-threshold");
        Duration coolDown = read.positiveDuration(s, r + "cool-down", "30m");
        List<String> order = read.stringList(s, r + "model-order", "[ \"res.users\", \"account.move\" ]");
        return new RetrySettings(read.bool(s, r + "enabled"), canary, chunk, rate, quota, attempts, maxAge, threshold,
                coolDown, order);
    }

    JournalSettings journal(Scope s) {
        return new JournalSettings(
                read.positiveBytes(s, "journal.rotate-at", "16MiB"),
                read.positiveDuration(s, "journal.keep", "30d"),
                read.positiveDuration(s, "journal.archive-retention", "365d"));
    }

    /** Larger batches make one unlink or cancel hold Odoo's row locks for long. */
    static final int MAX_STALE_BATCH = 5000;

    StaleSettings stale(Scope s) {
        String t = "stale.";
        return new StaleSettings(
                read.bool(s, t + "enabled"),
                read.positiveDuration(s, t + "cancel-outgoing-after", "7d"),
                read.positiveDuration(s, t + "exceptions-after", "30d"),
                read.bool(s, t + "purge"),
                read.positiveDuration(s, t + "archive-retention", "90d"),
                read.intInRange(s, t + "batch-size", 1, MAX_STALE_BATCH, "from 1 to " + MAX_STALE_BATCH),
                read.positiveInt(s, t + "max-batches-per-run"));
    }


    /** The lease must outlast every call made under the lock: a flush call and any other reply. */
    LockSettings lock(Scope s, FlushSettings flush, Timeouts timeouts) {
        Duration lease = read.positiveDuration(s, "lock.lease", "15m");
        Duration settle = read.positiveDuration(s, "lock.settle-interval", "3s");
        if (positive(lease)) {
            List<String> outlasted = new ArrayList<>();
            if (positive(flush.callTimeout()) && lease.compareTo(flush.callTimeout()) <= 0) {
                outlasted.add("flush.call-timeout");
            }
            if (positive(timeouts.reply()) && lease.compareTo(timeouts.reply()) <= 0) {
                outlasted.add("timeouts.reply");
            }
            if (!outlasted.isEmpty()) {
                String at = "lock.lease";
                for (String other : outlasted) {
                    if (weight(s, other) > weight(s, at)) {
                        at = other;
                    }
                }
                read.problem(s, at, "lock.lease (" + text(s, "lock.lease") + ") must be greater than "
                        + String.join(" and ", outlasted.stream().map(k -> k + " (" + text(s, k) + ")").toList())
                        + ": the lease must outlast the longest call made under the lock, or it could expire"
                        + " while a flush still sends and a second flush would deliver the same mail again");
            }
        }
        return new LockSettings(lease, settle, read.positiveDuration(s, "lock.quiet-window", "2m"));
    }

    /** Duration.isPositive() is Java 18+. A value that is not (a problem already) is not compared. */
    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** Reported at whichever of the pair the user wrote closest to this scope. */
    private void warnNotAboveFail(Scope s, String name, int warnVersusFail, boolean bothValid) {
        if (!bothValid || warnVersusFail <= 0) {
            return;
        }
        String warn = "thresholds." + name + "-warn";
        String fail = "thresholds." + name + "-fail";
        String at = weight(s, fail) > weight(s, warn) ? fail : warn;
        read.problem(s, at, name + "-warn (" + text(s, warn) + ") must not be greater than "
                + name + "-fail (" + text(s, fail) + ")");
    }

    private static int weight(Scope s, String path) {
        if (s.setInBlock(path)) {
            return 2;
        }
        ConfigValue value = s.value(path);
        return value != null && value.origin().filename() != null ? 1 : 0;
    }

    private static String text(Scope s, String path) {
        return String.valueOf(s.value(path).unwrapped());
    }
}
