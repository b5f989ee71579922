package io.mailwatchdog.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mail.mail.process_email_queue} and {@code send} (addons/mail/models/mail_mail.py): picks the
 * due outgoing mail newest first up to the batch, sends in id order over one SMTP session per server,
 * and records sent / exception / deletion as Odoo does. Like Odoo, nothing stops two flushes from
 * picking the same mail: the state is checked just before sending, and the database lock is released
 * while the SMTP server works, so two overlapping flushes can both deliver it.
 */
final class MailQueue {

    private static final Logger LOG = LoggerFactory.getLogger(MailQueue.class);
    static final String NO_RECIPIENTS = "Error without exception. Probably due to sending an email without computed recipients.";

    private final SimulatedDatabase db;
    private volatile Duration sendDelay = Duration.ZERO;
    private volatile Duration smtpTimeout = Duration.ofSeconds(60); // Odoo's SMTP_TIMEOUT

    MailQueue(SimulatedDatabase db) {
        this.db = db;
    }

    void sendDelay(Duration delay) {
        this.sendDelay = delay;
    }

    void smtpTimeout(Duration timeout) {
        this.smtpTimeout = timeout;
    }

    Duration smtpTimeout() {
        return smtpTimeout;
    }

    /** What one flush did: for the cron's progress ({@code done}, {@code remaining}). */
    record Flush(int done, int remaining) {
    }

    /**
     * One {@code process_email_queue} call.
     *
     * @param ids the ids it was given, or null for "everything due"
     * @param batchSize the method's batch argument; the ICP {@code mail.mail.queue.batch.size} wins from 17.0 on
     */
    Flush process(List<Integer> ids, int batchSize) {
        return process(ids, batchSize, List.of());
    }

    /** @param filters the context's {@code filters}: a domain appended to the due domain */
    Flush process(List<Integer> ids, int batchSize, List<?> filters) {
        VersionProfile v = db.profile();
        List<Integer> sendIds = new ArrayList<>();
        int total;
        synchronized (db.lock) {
            int batch = batchSize;
            if (v.major >= 17) {
                String param = db.configParameter("mail.mail.queue.batch.size");
                if (param != null) {
                    try {
                        int configured = Integer.parseInt(param.strip());
                        batch = configured > 0 || v.major < 19 ? configured : batch;
                    } catch (NumberFormatException e) {
                        throw RpcFault.valueError(v, "invalid literal for int() with base 10: '" + param + "'");
                    }
                }
            }
            int size = v.major <= 16 ? 10_000 : ids != null && v.major >= 18 ? batch * 10 : batch;
            Integer limit = size > 0 ? size : null; // Odoo's search takes a limit of 0 as none
            List<Object> due = new ArrayList<>(due(db.clock().instant()));
            due.addAll(filters); // as Odoo's domain.extend: an implicit AND
            OrmModel mails = db.model("mail.mail");
            List<Map<String, Object>> found = mails.search(due, Map.of(), 0, limit, "id desc");
            for (Map<String, Object> row : found) {
                Integer id = (Integer) row.get("id");
                if (ids == null || ids.contains(id)) {
                    sendIds.add(id);
                }
            }
            total = ids != null || found.size() < batch ? sendIds.size() : mails.search(due, Map.of(), 0, null, null).size();
        }
        sendIds.sort(Integer::compare);
        int done = send(sendIds);
        return new Flush(done, Math.max(0, total - done));
    }

    /** The due outgoing mail of Domains.due in the watchdog, the domain of process_email_queue. */
    static List<?> due(Instant now) {
        return List.of("&", List.of("state", "=", "outgoing"), "|", List.of("scheduled_date", "=", false),
                List.of("scheduled_date", "<=", OdooDatetimes.format(now)));
    }

    /**
     * {@code send()}: the given mails, skipping those no longer outgoing, grouped per SMTP server.
     *
     * @return how many were attempted
     */
    int send(List<Integer> ids) {
        Map<SmtpServerConfig, List<Integer>> groups = new LinkedHashMap<>();
        synchronized (db.lock) {
            Map<Integer, SmtpServerConfig> servers = new HashMap<>();
            for (Integer id : ids) {
                Map<String, Object> row = db.model("mail.mail").row(id);
                if (row != null) {
                    Integer serverId = (Integer) row.get("mail_server_id");
                    SmtpServerConfig server = servers.computeIfAbsent(serverId == null ? -1 : serverId,
                            k -> db.smtpServerFor(serverId));
                    groups.computeIfAbsent(server, k -> new ArrayList<>()).add(id);
                }
            }
        }
        int attempted = 0;
        for (Map.Entry<SmtpServerConfig, List<Integer>> group : groups.entrySet()) {
            SmtpSession session;
            try {
                session = SmtpSession.open(group.getKey(), smtpTimeout);
            } catch (SmtpSession.OpenFailed failed) {
                // Connect-time failure: the whole batch of that server, failure_type untouched (mail_mail.py send()).
                String reason = failed.error.argumentLines(db.profile().failureReasonDecodesBytes());
                markEach(group.getValue(), row -> {
                    row.put("state", "exception");
                    row.put("failure_reason", reason);
                });
                attempted += group.getValue().size();
                LOG.debug("{}: cannot connect to {}: {}", db.name(), group.getKey(), failed.error.str());
                continue;
            }
            try {
                for (Integer id : group.getValue()) {
                    SmtpSession.Mail mail = pick(id);
                    if (mail == null) {
                        continue;
                    }
                    attempted++;
                    if (!pause()) {
                        return attempted;
                    }
                    SmtpSession.Outcome outcome = session.send(mail);
                    if (!record(id, mail, outcome)) {
                        return attempted; // SMTPServerDisconnected: Odoo stops the whole send()
                    }
                }
            } finally {
                session.close();
            }
        }
        return attempted;
    }

    /** The mail as it is now, if it is still outgoing; mails without a recipient fail on the spot. */
    private SmtpSession.Mail pick(int id) {
        synchronized (db.lock) {
            Map<String, Object> row = db.model("mail.mail").row(id);
            if (row == null || !"outgoing".equals(row.get("state"))) {
                return null;
            }
            String to = (String) row.get("email_to");
            if (to == null || to.isBlank() || !to.contains("@")) {
                boolean missing = to == null || to.isBlank();
                failWithoutSending(id, row, missing ? "mail_email_missing" : "mail_email_invalid");
                return null;
            }
            String from = row.get("email_from") == null ? db.userEmail() : (String) row.get("email_from");
            return new SmtpSession.Mail((String) row.get("message_id"), from == null ? "" : from, to,
                    (String) row.get("email_cc"), (String) row.get("subject"), (String) row.get("body_html"),
                    db.clock().instant());
        }
    }

    private void failWithoutSending(int id, Map<String, Object> row, String failureType) {
        row.put("state", "exception");
        row.put("failure_type", failureType);
        row.put("failure_reason", NO_RECIPIENTS);
        row.put("write_date", now());
        if (Boolean.TRUE.equals(row.get("auto_delete"))) {
            db.model("mail.mail").delete(id); // _postprocess_sent_message unlinks these
        }
    }

    /** @return false when the batch must stop */
    private boolean record(int id, SmtpSession.Mail mail, SmtpSession.Outcome outcome) {
        if (outcome instanceof SmtpSession.Delivered delivered) {
            delivered.recipients().forEach(r -> db.deliveryLog().record(mail.messageId(), r));
        }
        synchronized (db.lock) {
            OrmModel mails = db.model("mail.mail");
            Map<String, Object> row = mails.row(id);
            if (row == null) {
                return true;
            }
            row.put("write_date", now());
            if (outcome instanceof SmtpSession.Delivered) {
                if (Boolean.TRUE.equals(row.get("auto_delete"))) {
                    mails.delete(id);
                } else {
                    row.put("state", "sent");
                    row.put("failure_reason", null); // failure_type stays, as Odoo leaves it
                }
                return true;
            }
            if (outcome instanceof SmtpSession.Refused refused) {
                VersionProfile v = db.profile();
                String inner = v.failureReasonDecodesBytes() ? refused.error().argumentLines(true) : refused.error().str();
                row.put("state", "exception");
                row.put("failure_type", "unknown");
                row.put("failure_reason", "Mail Delivery Failed\nMail delivery failed via SMTP server 'None'.\n"
                        + refused.error().className() + ": " + inner);
                return true;
            }
            // Disconnected: the pre-send mark stays, as when Odoo's batch dies mid-way.
            row.put("state", "exception");
            row.put("failure_reason", NO_RECIPIENTS);
            return false;
        }
    }

    private void markEach(List<Integer> ids, java.util.function.Consumer<Map<String, Object>> change) {
        synchronized (db.lock) {
            Instant now = now();
            for (Integer id : ids) {
                Map<String, Object> row = db.model("mail.mail").row(id);
                if (row != null) {
                    change.accept(row);
                    row.put("write_date", now);
                }
            }
        }
    }

    /** The configurable time a send takes, outside the lock: what lets two flushes overlap. */
    private boolean pause() {
        Duration delay = sendDelay;
        if (delay.isZero() || delay.isNegative()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Instant now() {
        return OdooDatetimes.stored(db.clock().instant());
    }
}
