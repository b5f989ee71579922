package io.mailwatchdog.health;

import java.util.List;

/** The stable check ids. Scripts and alert rules key on them: never rename one. */
public final class CheckIds {
    public static final String ODOO_REACHABLE = "odoo.reachable";
    public static final String ODOO_LOGIN = "odoo.login";
    public static final String DATABASE_NEUTRALIZED = "database.neutralized";
    public static final String MODULES_PENDING = "database.modules-pending";
    public static final String SCHEDULER_ACTIVE = "scheduler.active";
    public static final String SCHEDULER_ON_TIME = "scheduler.on-time";
    public static final String SCHEDULER_FAILURES = "scheduler.failures";
    public static final String SCHEDULER_STUCK = "scheduler.stuck";
    public static final String QUEUE_OLDEST_OUTGOING = "queue.oldest-outgoing";
    public static final String QUEUE_EXCEPTIONS = "queue.exceptions";
    public static final String SMTP_SERVERS_CONFIGURED = "smtp.servers-configured";
    public static final String SMTP_SERVER_TEST = "smtp.server-test";
    /** The daemon's retry: FAIL while its circuit is open (a retried batch failed again). */
    public static final String RETRY_CIRCUIT = "retry.circuit";

    public static final List<String> ALL = List.of(ODOO_REACHABLE, ODOO_LOGIN, DATABASE_NEUTRALIZED, MODULES_PENDING,
            SCHEDULER_ACTIVE, SCHEDULER_ON_TIME, SCHEDULER_FAILURES, SCHEDULER_STUCK, QUEUE_OLDEST_OUTGOING, QUEUE_EXCEPTIONS,
            SMTP_SERVERS_CONFIGURED, SMTP_SERVER_TEST);

    private CheckIds() {
    }
}
