package io.mailwatchdog.health;

import static io.mailwatchdog.text.Texts.human;

import io.mailwatchdog.config.Thresholds;
import io.mailwatchdog.odoo.FailureClass;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.ProbeFailure;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.SchedulerSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Snapshot into Findings: pure, no I/O, so every rule is tested without a server. Hints are
 * the runbooks' next step. On a neutralized database (a staging copy) mail is off on purpose, so the
 * mail checks pass with a note instead of raising alarms.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** Default limit of a mail scheduler run before it is called stuck (scheduler-watchdog.stuck-after). */
    public static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(30);

    public static TargetReport evaluate(Snapshot s, Thresholds t) {
        return evaluate(s, t, DEFAULT_STUCK_AFTER);
    }

    public static TargetReport evaluate(Snapshot s, Thresholds t, Duration stuckAfter) {
        List<Finding> findings = new ArrayList<>();
        if (!s.reached()) {
            findings.addAll(unreached(s.failure(), s.odooVersion()));
            return TargetReport.of(s, findings);
        }
        findings.add(new Finding(CheckIds.ODOO_REACHABLE, Status.PASS, "Odoo " + s.odooVersion() + " answers",
                Map.of("version", s.odooVersion(), "requests", s.requests()), null));
        findings.add(new Finding(CheckIds.ODOO_LOGIN, Status.PASS, "logged in", Map.of(), null));
        boolean off = s.database().neutralized();
        findings.add(off
                ? new Finding(CheckIds.DATABASE_NEUTRALIZED, Status.PASS,
                        "the database is neutralized (a staging copy): outgoing mail is off on purpose",
                        Map.of("neutralized", true), "nothing to do; the mail checks below are not judged")
                : new Finding(CheckIds.DATABASE_NEUTRALIZED, Status.PASS, "not neutralized", Map.of("neutralized", false), null));
        findings.add(modulesPending(s.database().modulesPending()));
        findings.addAll(scheduler(s.scheduler(), t, off, !s.database().modulesPending().isEmpty()));
        findings.add(running(s.scheduler(), s.takenAt(), stuckAfter, s.odooVersion()));
        findings.add(oldestOutgoing(s.queue(), t, off));
        findings.add(exceptions(s.queue(), t, off));
        findings.addAll(servers(s.servers(), off));
        return TargetReport.of(s, findings);
    }

    static List<Finding> unreached(ProbeFailure f, String version) {
        List<Finding> out = new ArrayList<>();
        Map<String, Object> evidence = Map.of("kind", f.kind(), "error", f.message());
        switch (f.kind()) {
            case "deadline", "internal" -> out.add(new Finding(CheckIds.ODOO_REACHABLE, Status.UNKNOWN, f.message(),
                    evidence, "rerun; raise check --timeout if Odoo is slow, or report the internal error"));
            case "login-refused", "login-parked" -> {
                out.add("login-parked".equals(f.kind())
                        ? new Finding(CheckIds.ODOO_REACHABLE, Status.UNKNOWN, "not checked while the login is parked",
                                Map.of(), null)
                        : new Finding(CheckIds.ODOO_REACHABLE, Status.PASS,
                                "Odoo" + (version == null ? "" : " " + version) + " answers", Map.of(), null));
                out.add(new Finding(CheckIds.ODOO_LOGIN, Status.FAIL, f.message(), evidence,
                        "fix the target's password or API key (API keys expire from Odoo 18 on), then run"
                                + " `check --unpark`; the watchdog does not retry a refused secret, so that Odoo's"
                                + " login cooldown does not lock out real users"));
            }
            case "access-error" -> {
                out.add(new Finding(CheckIds.ODOO_REACHABLE, Status.PASS, "Odoo answers", Map.of(), null));
                out.add(new Finding(CheckIds.ODOO_LOGIN, Status.FAIL, f.message(), evidence,
                        "put the watchdog's Odoo user in the Administration / Settings group"));
            }
            default -> out.add(new Finding(CheckIds.ODOO_REACHABLE, Status.FAIL, f.message(), evidence,
                    "check that Odoo runs and that the target's url points at it (not at a login page or a proxy)"));
        }
        return out;
    }

    static Finding modulesPending(List<String> pending) {
        if (pending.isEmpty()) {
            return new Finding(CheckIds.MODULES_PENDING, Status.PASS, "no module waits for an upgrade", Map.of(), null);
        }
        return new Finding(CheckIds.MODULES_PENDING, Status.WARN,
                pending.size() + " module(s) wait for an operation; no cron of the database runs meanwhile",
                Map.of("modules", pending), "finish or cancel the pending install/upgrade/removal (Apps menu, or odoo -u)");
    }

    static List<Finding> scheduler(SchedulerSnapshot c, Thresholds t, boolean neutralized, boolean modulesPending) {
        List<Finding> out = new ArrayList<>();
        if (neutralized) {
            String note = "not judged: the database is neutralized, every cron is off on purpose";
            out.add(new Finding(CheckIds.SCHEDULER_ACTIVE, Status.PASS, note, Map.of("active", c.active()), null));
            out.add(new Finding(CheckIds.SCHEDULER_ON_TIME, Status.PASS, note, Map.of(), null));
            out.add(new Finding(CheckIds.SCHEDULER_FAILURES, Status.PASS, note, Map.of(), null));
            return out;
        }
        if (!c.found()) {
            out.add(new Finding(CheckIds.SCHEDULER_ACTIVE, Status.FAIL,
                    "the mail scheduler cron (mail.ir_cron_mail_scheduler_action) does not exist",
                    Map.of(), "update the mail module (odoo -u mail) to recreate the Mail: Email Queue Manager cron"));
            out.add(new Finding(CheckIds.SCHEDULER_ON_TIME, Status.PASS, "not judged: there is no scheduler cron", Map.of(), null));
            out.add(new Finding(CheckIds.SCHEDULER_FAILURES, Status.PASS, "not judged: there is no scheduler cron", Map.of(), null));
            return out;
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("cron", c.id());
        ev.put("active", c.active());
        ev.put("nextcall", String.valueOf(c.nextcall()));
        ev.put("interval", c.interval());
        boolean exhausted = c.numbercall() != null && c.numbercall() == 0;
        if (!c.active() && c.hold() != null) {
            SchedulerSnapshot.Hold h = c.hold();
            ev.put("heldBy", h.owner());
            ev.put("heldSince", String.valueOf(h.since()));
            ev.put("flushing", h.ids());
            out.add(h.stale()
                    ? new Finding(CheckIds.SCHEDULER_ACTIVE, Status.WARN, "held by the watchdog " + h.owner() + " since "
                            + h.since() + ", whose lease expired: the next watchdog that takes the lock restores it", ev,
                            "start a watchdog on this database (or run `check` again later); it restores the cron once the"
                                    + " flushed mails have settled")
                    : new Finding(CheckIds.SCHEDULER_ACTIVE, Status.PASS, "held by the watchdog since " + h.since()
                            + " while it flushes " + h.ids() + " mail(s); restored after the flush", ev, null));
        } else if (!c.active()) {
            out.add(new Finding(CheckIds.SCHEDULER_ACTIVE, Status.FAIL, "the mail scheduler cron is inactive: no mail leaves",
                    ev, "re-enable the Mail: Email Queue Manager cron (Settings > Technical > Scheduled Actions)"));
        } else if (exhausted) {
            ev.put("numbercall", 0);
            out.add(new Finding(CheckIds.SCHEDULER_ACTIVE, Status.FAIL,
                    "the mail scheduler cron has numbercall 0: Odoo no longer runs it", ev,
                    "set Number of Calls to -1 (unlimited) on the Mail: Email Queue Manager cron"));
        } else {
            out.add(new Finding(CheckIds.SCHEDULER_ACTIVE, Status.PASS, "the mail scheduler cron is active", ev, null));
        }
        out.add(onTime(c, t, modulesPending));
        out.add(failures(c, t));
        return out;
    }

    static Finding onTime(SchedulerSnapshot c, Thresholds t, boolean modulesPending) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("nextcall", String.valueOf(c.nextcall()));
        ev.put("lastcall", String.valueOf(c.lastcall()));
        ev.put("overdueSeconds", c.overdueSeconds());
        if (!c.active()) {
            return new Finding(CheckIds.SCHEDULER_ON_TIME, Status.PASS, "not judged: the cron is inactive", ev, null);
        }
        long overdue = c.overdueSeconds();
        // Overdue: nextcall older than now minus the grace, i.e. no cron worker picked up a due job.
        Status status = overdue >= t.schedulerOverdueFail().toSeconds() ? Status.FAIL
                : overdue >= t.schedulerOverdueWarn().toSeconds() ? Status.WARN : Status.PASS;
        if (status == Status.PASS) {
            return new Finding(CheckIds.SCHEDULER_ON_TIME, Status.PASS, overdue > 0
                    ? "the mail scheduler is due since " + human(overdue) + " (within the grace)"
                    : "the mail scheduler runs on time (next run " + c.nextcall() + ")", ev, null);
        }
        String hint = modulesPending
                ? "modules wait for an upgrade, which blocks every cron: finish or cancel it"
                : "no cron worker runs due jobs: check that Odoo runs with max_cron_threads > 0 and that workers are not all busy";
        return new Finding(CheckIds.SCHEDULER_ON_TIME, status, "the mail scheduler is overdue by " + human(overdue), ev, hint);
    }

    /**
     * A run that started (ir.cron.progress, 18.0+) and has not completed for longer than the limit is
     * stuck, or was killed mid-run. 16.0/17.0 leave no trace of a run in progress: not judged there.
     */
    static Finding running(SchedulerSnapshot c, java.time.Instant now, Duration stuckAfter, String version) {
        if (c == null || !c.found()) {
            return new Finding(CheckIds.SCHEDULER_STUCK, Status.PASS, "not judged: there is no scheduler cron", Map.of(), null);
        }
        if (c.failureCount() == null) {
            return new Finding(CheckIds.SCHEDULER_STUCK, Status.PASS, "not judged: Odoo " + version
                    + " does not record runs in progress (ir.cron.progress is 18.0+)", Map.of(), null);
        }
        if (c.runningSince() == null) {
            return new Finding(CheckIds.SCHEDULER_STUCK, Status.PASS, "no run of the mail scheduler is in progress",
                    Map.of(), null);
        }
        Duration running = Duration.between(c.runningSince(), now);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("runningSince", String.valueOf(c.runningSince()));
        ev.put("runningSeconds", Math.max(0, running.toSeconds()));
        if (running.compareTo(stuckAfter) < 0) {
            return new Finding(CheckIds.SCHEDULER_STUCK, Status.PASS, "a run of the mail scheduler is in progress since "
                    + c.runningSince(), ev, null);
        }
        return new Finding(CheckIds.SCHEDULER_STUCK, Status.FAIL, "the mail scheduler run that started at "
                + c.runningSince() + " has not completed after " + human(running.toSeconds())
                + ": it is stuck, or it was killed mid-run", ev,
                "look for a long SMTP wait or a lock in Odoo's log; limit_time_real kills a cron worker that runs too long,"
                        + " and a killed run counts as a failure after 3 timeouts");
    }

    static Finding failures(SchedulerSnapshot c, Thresholds t) {
        if (c.failureCount() == null) {
            if (c.numbercall() != null && c.numbercall() > 0) {
                return new Finding(CheckIds.SCHEDULER_FAILURES, Status.WARN,
                        "the mail scheduler stops after " + c.numbercall() + " more run(s) (numbercall)",
                        Map.of("numbercall", c.numbercall()), "set Number of Calls to -1 (unlimited) on the cron");
            }
            return new Finding(CheckIds.SCHEDULER_FAILURES, Status.PASS,
                    "failures are not counted before Odoo 18.0", Map.of(), null);
        }
        int n = c.failureCount();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("failureCount", n);
        ev.put("firstFailureDate", String.valueOf(c.firstFailureDate()));
        Status status = n >= t.schedulerFailuresFail() ? Status.FAIL : n >= t.schedulerFailuresWarn() ? Status.WARN : Status.PASS;
        if (status == Status.PASS) {
            return new Finding(CheckIds.SCHEDULER_FAILURES, Status.PASS, "the mail scheduler's last run succeeded", ev, null);
        }
        return new Finding(CheckIds.SCHEDULER_FAILURES, status, "the mail scheduler failed " + n + " time(s) in a row"
                + (c.firstFailureDate() == null ? "" : " since " + c.firstFailureDate()), ev,
                "read Odoo's log for the cron's traceback; Odoo 18+ deactivates it after 5 failures over 7 days");
    }

    static Finding oldestOutgoing(QueueSnapshot q, Thresholds t, boolean neutralized) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("due", q.due());
        ev.put("oldestOutgoingAgeSeconds", q.oldestDueAgeSeconds());
        if (q.oldestDueId() != null) {
            ev.put("oldestId", q.oldestDueId());
        }
        long age = q.oldestDueAgeSeconds();
        if (neutralized) {
            return new Finding(CheckIds.QUEUE_OLDEST_OUTGOING, Status.PASS,
                    q.due() + " due mail held: the database is neutralized, mail is off on purpose", ev, null);
        }
        Status status = age >= t.oldestOutgoingFail().toSeconds() ? Status.FAIL
                : age >= t.oldestOutgoingWarn().toSeconds() ? Status.WARN : Status.PASS;
        if (q.due() == 0) {
            return new Finding(CheckIds.QUEUE_OLDEST_OUTGOING, Status.PASS, "no outgoing mail is waiting", ev, null);
        }
        String summary = q.due() + " due outgoing mail, the oldest waiting " + human(age);
        return new Finding(CheckIds.QUEUE_OLDEST_OUTGOING, status, summary, ev, status == Status.PASS ? null
                : "mail is not leaving: check the scheduler and SMTP findings; the queue drains once the cron runs"
                        + " (or run mail.mail.process_email_queue)");
    }

    static Finding exceptions(QueueSnapshot q, Thresholds t, boolean neutralized) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("lastHour", q.exceptionsLastHour());
        ev.put("last24h", q.exceptionsLast24h());
        ev.put("total", q.counts().get("exception"));
        ev.put("sampled", q.exceptionSampleSize() + " latest of at most " + q.exceptionSampleLimit());
        FailureSignatureGroup top = q.signatures().isEmpty() ? null : q.signatures().get(0);
        if (top != null) {
            ev.put("topSignature", top.signature());
            ev.put("topClass", top.failureClass().name());
        }
        int n = q.exceptionsLastHour();
        Status status = neutralized ? Status.PASS : n >= t.exceptionsLastHourFail() ? Status.FAIL
                : n >= t.exceptionsLastHourWarn() ? Status.WARN : Status.PASS;
        String summary = n + " mail(s) failed in the last hour, " + q.exceptionsLast24h() + " in 24 h"
                + (top == null ? "" : "; most common: " + top.failureClass() + " (" + top.count() + "×)");
        return new Finding(CheckIds.QUEUE_EXCEPTIONS, status, summary, ev,
                status == Status.PASS ? null : hintFor(top == null ? FailureClass.UNKNOWN : top.failureClass()));
    }

    /** What the runbooks say to do for each failure class. */
    static String hintFor(FailureClass c) {
        return switch (c) {
            case AUTH -> "the SMTP server refuses the login: fix the outgoing server's credentials, then retry";
            case TRANSPORT -> "Odoo cannot reach the SMTP server: check host, port, firewall and DNS, then retry";
            case TLS -> "TLS fails: check the server's encryption setting (SSL vs STARTTLS port) and certificate";
            case SENDER -> "the SMTP server refuses the From address: align the From/from_filter with the authenticated"
                    + " account or the domain's SPF/DKIM set-up";
            case RATE_LIMIT -> "the provider throttles: wait, then retry slowly under its quota";
            case MAILBOX -> "recipients' mailboxes are full: retry later a bounded number of times";
            case RECIPIENT -> "bad recipient addresses: fix the contacts; do not resend";
            case CONTENT -> "messages were rejected as spam or too large: fix the content; do not resend as is";
            case UNKNOWN -> "read the failure reasons (mail.mail, state Delivery Failed) before retrying anything";
        };
    }

    static List<Finding> servers(List<ServerSnapshot> servers, boolean neutralized) {
        List<Finding> out = new ArrayList<>();
        if (neutralized) {
            out.add(new Finding(CheckIds.SMTP_SERVERS_CONFIGURED, Status.PASS,
                    "not judged: the database is neutralized, its mail servers are off on purpose", Map.of(), null));
            out.add(new Finding(CheckIds.SMTP_SERVER_TEST, Status.PASS, "not tested: the database is neutralized", Map.of(), null));
            return out;
        }
        if (servers.isEmpty()) {
            out.add(new Finding(CheckIds.SMTP_SERVERS_CONFIGURED, Status.WARN,
                    "no outgoing mail server: Odoo sends through the SMTP server of its config file, which cannot be tested from outside",
                    Map.of("servers", 0), "add an outgoing mail server in Odoo, or make sure smtp_server in odoo.conf is right"));
            out.add(new Finding(CheckIds.SMTP_SERVER_TEST, Status.PASS, "no outgoing mail server to test", Map.of(), null));
            return out;
        }
        out.add(new Finding(CheckIds.SMTP_SERVERS_CONFIGURED, Status.PASS, servers.size() + " outgoing mail server(s)",
                Map.of("servers", servers.size()), null));
        Status worst = Status.PASS;
        List<String> problems = new ArrayList<>();
        FailureClass firstFailure = null;
        boolean tested = false;
        for (ServerSnapshot s : servers) {
            String outcome = s.test().outcome();
            String who = s.name() + " (" + s.host() + ":" + s.port() + ")";
            switch (outcome) {
                case "FAIL" -> {
                    worst = Status.worst(worst, Status.FAIL);
                    problems.add(who + ": " + s.test().detail()
                            + (s.test().cachedFrom() == null ? "" : " [result of " + s.test().cachedFrom() + ", retested after the backoff]"));
                    if (firstFailure == null && s.test().failureClass() != null) {
                        firstFailure = FailureClass.valueOf(s.test().failureClass());
                    }
                    tested = true;
                }
                case "INCONCLUSIVE" -> {
                    worst = Status.worst(worst, Status.WARN);
                    problems.add(who + ": no verdict: " + s.test().detail());
                    tested = true;
                }
                case "PASS" -> tested = true;
                case "UNFINISHED" -> {
                    worst = Status.worst(worst, Status.UNKNOWN);
                    problems.add(who + ": " + s.test().detail());
                    tested = true;
                }
                default -> { }
            }
        }
        Map<String, Object> ev = Map.of("problems", problems);
        if (!tested) {
            out.add(new Finding(CheckIds.SMTP_SERVER_TEST, Status.PASS, "servers not tested (SMTP tests are off)", ev, null));
        } else if (worst == Status.PASS) {
            out.add(new Finding(CheckIds.SMTP_SERVER_TEST, Status.PASS, "every outgoing mail server passed Odoo's connection test", ev, null));
        } else {
            String hint = firstFailure != null ? hintFor(firstFailure)
                    : worst == Status.UNKNOWN ? "give the run more time than timeouts.smtp-test (check --timeout)"
                    : "the test could not give a verdict: see the detail (the server refuses Odoo's test recipient, or the watchdog's user has no email address)";
            out.add(new Finding(CheckIds.SMTP_SERVER_TEST, worst, String.join("; ", problems), ev, hint));
        }
        return out;
    }
}
