package io.mailwatchdog.config;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads one entry of {@code targets}, already merged over the root defaults. */
final class TargetReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final ValueReader read;
    private final SharedSettingsReader shared;
    private final SecretReader secrets;

    TargetReader(ValueReader read, SharedSettingsReader shared, SecretReader secrets) {
        this.read = read;
        this.shared = shared;
        this.secrets = secrets;
    }

    /** The target, or empty when it has problems (which are reported, all of them). */
    Optional<TargetSettings> read(Scope s) {
        Optional<String> name = read.requiredString(s, "name", "a short name such as production");
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            read.problem(s, "name", "may contain only letters, digits, '.', '_' and '-' (it is used in"
                    + " metric labels and file names), got " + ValueReader.got(s.value("name")));
            name = Optional.empty();
        }
        Optional<URI> url = read.requiredString(s, "url", "Odoo's base URL such as https://erp.example.com")
                .flatMap(text -> OdooUrl.parse(text, message -> read.problem(s, "url", message)));
        Optional<String> database = read.requiredString(s, "database", "the Odoo database name");
        Optional<String> login = read.requiredString(s, "login", "the Odoo user's login");
        Optional<Secret> secret = secrets.read(s);
        Timeouts timeouts = shared.timeouts(s);
        Thresholds thresholds = shared.thresholds(s);
        ProbeSettings probe = shared.probe(s);
        TlsSettings tls = shared.tls(s);
        boolean allowInsecureHttp = shared.allowInsecureHttp(s);
        Mode mode = shared.mode(s);
        ScheduleSettings schedule = shared.schedule(s);
        SchedulerWatchdogSettings schedulerWatchdog = shared.schedulerWatchdog(s);
        FlushSettings flush = shared.flush(s);
        LockSettings lock = shared.lock(s, flush, timeouts);
        RetrySettings retry = shared.retry(s);
        StaleSettings stale = shared.stale(s);
        JournalSettings journal = shared.journal(s);
        url.ifPresent(u -> refusePlainHttpToTheInternet(s, u, allowInsecureHttp));

        if (name.isEmpty() || url.isEmpty() || database.isEmpty() || login.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TargetSettings(name.get(), url.get(), database.get(), login.get(), secret.get(),
                timeouts, thresholds, probe, tls, allowInsecureHttp, mode, schedule, schedulerWatchdog, flush, lock,
                retry, stale, journal));
    }

    /** XML-RPC sends the password with every execute_kw call, not only at login. */
    private void refusePlainHttpToTheInternet(Scope s, URI url, boolean allowed) {
        if (allowed || !url.getScheme().equalsIgnoreCase("http") || OdooUrl.isLocalHost(url.getHost())) {
            return;
        }
        read.problem(s, "url", "plain http to " + url.getHost() + " sends the Odoo password in clear text with"
                + " every XML-RPC call; use https, or set allow-insecure-http = true on this target if the"
                + " network is trusted");
    }
}
