package io.mailwatchdog.config;

import java.net.URI;
import java.util.Objects;

/**
 * One Odoo database to watch, with the root defaults already applied.
 *
 * @param url               Odoo's base URL without a trailing slash (it may carry a path prefix
 *                          such as {@code /odoo}); append {@code /xmlrpc/2/common} to it, do not
 *                          {@code resolve()}
 * @param mode              whether the daemon may write to this target at all
 * @param schedule          how often the daemon probes and tests SMTP
 * @param schedulerWatchdog reviving the mail scheduler cron
 * @param flush             flushing the queue
 * @param lock              the lock that keeps flushes of this target apart
 * @param retry             retrying failed mail
 * @param stale             cancelling and purging stale mail
 * @param journal           rotating the journal
 */
public record TargetSettings(String name, URI url, String database, String login, Secret secret,
                             Timeouts timeouts, Thresholds thresholds, ProbeSettings probe,
                             TlsSettings tls, boolean allowInsecureHttp,
                             Mode mode, ScheduleSettings schedule, SchedulerWatchdogSettings schedulerWatchdog,
                             FlushSettings flush, LockSettings lock,
                             RetrySettings retry, StaleSettings stale, JournalSettings journal) {
    public TargetSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(schedulerWatchdog, "schedulerWatchdog");
        Objects.requireNonNull(flush, "flush");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(stale, "stale");
        Objects.requireNonNull(journal, "journal");
    }
}
