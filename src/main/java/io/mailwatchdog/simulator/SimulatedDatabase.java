package io.mailwatchdog.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One database of the simulated Odoo: its models in memory, its mail scheduler and cron worker, its
 * mail sending and the record of what was delivered. Thread-safe: every change holds the database's
 * lock, except the SMTP conversations of mail sending (as in Odoo, where they run between commits).
 * New databases look like the fixtures' fresh ones: the mail cron healthy, no mail, no mail server,
 * admin/admin as uid 2.
 */
public final class SimulatedDatabase {

    static final String DEFAULT_LOGIN = "admin";
    static final int ADMIN = 2;
    static final int ODOOBOT = 1;

    /** The database's "transaction": held for every read and write of its rows. */
    final Object lock = new Object();
    private final String name;
    private final VersionProfile profile;
    private final Clock clock;
    private final Map<String, OrmModel> models = new HashMap<>();
    /** Display names of records of models the simulator does not keep (ir.model, ir.actions.server). */
    private final Map<String, String> foreignNames = new HashMap<>();
    private final MailQueue mailQueue;
    private final MailCron mailCron;
    private final CronWorker cronWorker;
    private final DeliveryLog deliveries = new DeliveryLog();
    private volatile String login = DEFAULT_LOGIN;
    private volatile String accepted = "admin"; // the admin's secret this simulated database accepts
    private volatile SmtpServerConfig defaultSmtp = SmtpServerConfig.plain("localhost", 25);

    SimulatedDatabase(String name, String version, Clock clock, ExecutorService cronRuns, ScheduledExecutorService poller) {
        this.name = name;
        this.profile = VersionProfile.of(version);
        this.clock = clock;
        add(new MailMailModel(this));
        add(new IrAttachmentModel(this));
        add(new IrCronModel(this));
        add(new IrMailServerModel(this));
        add(new IrConfigParameterModel(this));
        add(new OrmModel(this, Schemas.irModelData(), 1));
        add(new OrmModel(this, Schemas.irModuleModule(), 1));
        add(new OrmModel(this, Schemas.resUsers(), 1));
        if (profile.hasCronProgress()) {
            add(new OrmModel(this, Schemas.irCronProgress(), 1));
        }
        this.mailQueue = new MailQueue(this);
        this.mailCron = new MailCron(this, profile.mailCronId);
        this.cronWorker = new CronWorker(this, mailCron, cronRuns, poller);
        NewDatabaseRows.seed(this);
    }

    private void add(OrmModel model) {
        models.put(model.schema.name, model);
    }

    private static Map<String, Object> values(Object... pairs) {
        return NewDatabaseRows.values(pairs);
    }

    /** Names a record of a model the simulator does not keep (ir.model, ir.actions.server) for many2one reads. */
    void nameForeignRecord(String modelName, int id, String displayName) {
        foreignNames.put(modelName + "," + id, displayName);
    }

    // ---- identity and login --------------------------------------------------------------------

    public String name() {
        return name;
    }

    /** "16.0" … "19.0". */
    public String version() {
        return profile.label();
    }

    /** The login and password (or API key) the database accepts for its admin user, uid 2. */
    public SimulatedDatabase credentials(String newLogin, String newPassword) {
        synchronized (lock) {
            this.login = newLogin;
            this.accepted = newPassword;
            model("res.users").row(ADMIN).put("login", newLogin);
        }
        return this;
    }

    public int uid() {
        return ADMIN;
    }

    /** The RPC user's email, which Odoo's SMTP test sends from; null = none (a new 19.0 database). */
    public SimulatedDatabase userEmail(String email) {
        synchronized (lock) {
            model("res.users").row(ADMIN).put("email", email);
        }
        return this;
    }

    // ---- mail ------------------------------------------------------------------------------------

    /** {@code n} outgoing mails created (and due) at {@code createdAt}, as a stalled queue holds them. */
    public List<Integer> queue(int n, Instant createdAt) {
        List<Integer> ids = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                ids.add(addMail(values("create_date", createdAt, "write_date", createdAt)));
            }
        }
        return ids;
    }

    /** {@code n} mails that failed now with this failure (failure_type may be null, as after a refused connection). */
    public List<Integer> exceptions(int n, String failureType, String failureReason) {
        return exceptions(n, failureType, failureReason, clock.instant());
    }

    public List<Integer> exceptions(int n, String failureType, String failureReason, Instant failedAt) {
        List<Integer> ids = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                ids.add(addMail(values("state", "exception", "failure_type", failureType, "failure_reason", failureReason,
                        "create_date", failedAt, "write_date", failedAt)));
            }
        }
        return ids;
    }

    /**
     * A mail with these field values (Java values: Instant for datetimes, null or {@code false} for empty,
     * an ir.mail_server id for {@code mail_server_id}, ids of existing attachments for {@code attachment_ids}).
     * Unset fields get realistic values: outgoing, created now, from admin to a numbered customer, linked
     * to a partner ({@code model} res.partner, {@code res_id} its own id), a message and a Message-ID of
     * its own. {@code id} and {@code mail_message_id} may be given, e.g. to replay a recorded exchange.
     *
     * <p>{@code addMail(Map.of("model", false))} makes a mail linked to no document ({@code res_id} 0),
     * which Odoo refuses to unlink (Fault 4) unless {@code is_notification} is true.
     */
    public int addMail(Map<String, ?> fields) {
        synchronized (lock) {
            MailMailModel mails = (MailMailModel) model("mail.mail");
            Map<String, Object> row = mails.defaults();
            row.put("email_from", "\"Administrator\" <admin@example.com>");
            row.put("body_html", "<p>Hello from the simulated Odoo</p>");
            row.put("model", "res.partner");
            fields.forEach((k, v) -> {
                FieldDef field = mails.schema.field(k);
                if (field == null) {
                    throw new IllegalArgumentException("mail.mail has no field " + k);
                }
                row.put(k, javaValue(field, v));
            });
            int id = mails.insert(row);
            Map<String, Object> stored = mails.row(id);
            if (stored.get("email_to") == null && !fields.containsKey("email_to")) {
                stored.put("email_to", "customer" + id + "@example.com");
            }
            if (stored.get("subject") == null && !fields.containsKey("subject")) {
                stored.put("subject", "Invoice INV/" + id);
            }
            if (stored.get("res_id") == null && !fields.containsKey("res_id") && stored.get("model") != null) {
                stored.put("res_id", id);
            }
            mails.afterCreate(id);
            return id;
        }
    }

    /** A Java value as a row holds it: Odoo reads False in a field that is not boolean as empty. */
    private static Object javaValue(FieldDef field, Object v) {
        if (v instanceof Instant t) {
            return OdooDatetimes.stored(t);
        }
        if (Boolean.FALSE.equals(v) && field.type() != FieldType.BOOLEAN) {
            return null;
        }
        return v instanceof List<?> ids ? new ArrayList<>(ids) : v;
    }

    /** A copy of one mail's fields (Java values), or empty when it does not exist (e.g. auto-deleted). */
    public Optional<Map<String, Object>> mail(int id) {
        synchronized (lock) {
            return copy(model("mail.mail").row(id));
        }
    }

    // ---- attachments -------------------------------------------------------------------------------

    /**
     * Attaches a new file to a mail, owned by the mail's message ({@code res_model} mail.message,
     * {@code res_id} the message), as Odoo's mail templates attach their files: unlinking the mail
     * deletes it. A null mimetype is guessed from the name, then the content. Returns its id.
     */
    public int addAttachment(int mailId, String fileName, byte[] data, String mimetype) {
        return addAttachment(mailId, fileName, data, mimetype, IrAttachmentModel.MAIL_MESSAGE, null);
    }

    /**
     * Attaches a new file to a mail, owned by another record ({@code resModel}, {@code resId}, e.g. the
     * mail's document), or by none ({@code resModel} null, as a file created inline over XML-RPC): unlinking
     * the mail keeps it, only the link goes. A null {@code resId} with {@code mail.message} means the
     * mail's own message. Returns its id.
     */
    public int addAttachment(int mailId, String fileName, byte[] data, String mimetype, String resModel, Integer resId) {
        synchronized (lock) {
            Map<String, Object> mail = model("mail.mail").row(mailId);
            if (mail == null) {
                throw new IllegalArgumentException("no mail.mail " + mailId);
            }
            IrAttachmentModel attachments = (IrAttachmentModel) model("ir.attachment");
            Map<String, Object> row = attachments.defaults();
            row.put("name", fileName);
            row.put("datas", data.clone());
            row.put("mimetype", mimetype);
            row.put("res_model", resModel);
            boolean ownMessage = IrAttachmentModel.MAIL_MESSAGE.equals(resModel) && resId == null;
            row.put("res_id", ownMessage ? mail.get("mail_message_id") : resId == null ? 0 : resId);
            attachments.derive(row);
            int id = attachments.insert(row);
            List<Integer> linked = new ArrayList<>(OrmModel.listOfIds(mail.get("attachment_ids")));
            linked.add(id);
            mail.put("attachment_ids", linked);
            return id;
        }
    }

    /** Copies of every ir.attachment row (Java values: {@code datas} as bytes), by id. */
    public List<Map<String, Object>> attachments() {
        synchronized (lock) {
            List<Map<String, Object>> out = new ArrayList<>();
            model("ir.attachment").allRows().forEach(r -> out.add(copy(r).orElseThrow()));
            return out;
        }
    }

    /** A copy of one ir.attachment row, or empty when it does not exist (e.g. deleted with its mail). */
    public Optional<Map<String, Object>> attachment(int id) {
        synchronized (lock) {
            return copy(model("ir.attachment").row(id));
        }
    }

    /** A row copied deep enough that the caller cannot change the database through it. */
    private static Optional<Map<String, Object>> copy(Map<String, Object> row) {
        if (row == null) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof List<?> l ? new ArrayList<>(l) : v instanceof byte[] b ? b.clone() : v));
        return Optional.of(out);
    }

    /** Sets these mails' state as a flush elsewhere would have (e.g. a crash after Odoo sent them). */
    public SimulatedDatabase mailState(List<Integer> ids, String state) {
        synchronized (lock) {
            for (Integer id : ids) {
                Map<String, Object> row = model("mail.mail").row(id);
                if (row != null) {
                    row.put("state", state);
                    row.put("write_date", OdooDatetimes.stored(clock.instant()));
                }
            }
        }
        return this;
    }

    /** Mails per state, every state present. */
    public Map<String, Integer> countByState() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String s : List.of("outgoing", "sent", "received", "exception", "cancel")) {
            counts.put(s, 0);
        }
        synchronized (lock) {
            for (Map<String, Object> row : model("mail.mail").allRows()) {
                counts.merge(String.valueOf(row.get("state")), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Time each mail's SMTP send takes (default none): makes overlapping flushes reproducible. */
    public SimulatedDatabase sendDelay(Duration delay) {
        mailQueue.sendDelay(delay);
        return this;
    }

    /** Timeout of every blocking SMTP step (Odoo's SMTP_TIMEOUT, 60 s by default). */
    public SimulatedDatabase smtpTimeout(Duration timeout) {
        mailQueue.smtpTimeout(timeout);
        return this;
    }

    /** How often each (Message-ID, recipient) was accepted by an SMTP server. */
    public Map<Delivery, Integer> deliveries() {
        return deliveries.all();
    }

    /** The deliveries made more than once. */
    public Map<Delivery, Integer> duplicates() {
        return deliveries.duplicates();
    }

    public int deliveryCount() {
        return deliveries.total();
    }

    // ---- mail servers ------------------------------------------------------------------------------

    /** An active outgoing server without encryption or login. */
    public int addMailServer(String serverName, String host, int port) {
        return addMailServer(values("name", serverName, "smtp_host", host, "smtp_port", port));
    }

    /** An ir.mail_server with these values (name, smtp_host, smtp_port, smtp_user, smtp_pass, smtp_encryption, sequence, from_filter, active). */
    public int addMailServer(Map<String, ?> fields) {
        synchronized (lock) {
            OrmModel servers = model("ir.mail_server");
            Map<String, Object> row = servers.defaults();
            fields.forEach((k, v) -> {
                if (!servers.schema.has(k)) {
                    throw new IllegalArgumentException("ir.mail_server has no field " + k);
                }
                row.put(k, v);
            });
            return servers.insert(row);
        }
    }

    /** Where mail goes when no ir.mail_server is active (Odoo's smtp_server/smtp_port; default localhost:25). */
    public SimulatedDatabase defaultSmtp(String host, int port) {
        this.defaultSmtp = SmtpServerConfig.plain(host, port);
        return this;
    }

    // ---- parameters, modules, neutralization -------------------------------------------------------

    public SimulatedDatabase setParam(String key, String value) {
        synchronized (lock) {
            IrConfigParameterModel params = (IrConfigParameterModel) model("ir.config_parameter");
            Map<String, Object> row = params.find(key);
            if (row == null && value != null) {
                params.insert(values("key", key, "value", value));
            } else if (row != null && value == null) {
                params.delete((Integer) row.get("id"));
            } else if (row != null) {
                row.put("value", value);
                row.put("write_date", OdooDatetimes.stored(clock.instant()));
            }
        }
        return this;
    }

    public Optional<String> param(String key) {
        synchronized (lock) {
            return Optional.ofNullable(configParameter(key));
        }
    }

    /** A module waiting for an operation ("to install", "to upgrade", "to remove"), which blocks every cron. */
    public SimulatedDatabase pendingModule(String module, String state) {
        synchronized (lock) {
            OrmModel modules = model("ir.module.module");
            Map<String, Object> existing = null;
            for (Map<String, Object> row : modules.allRows()) {
                if (module.equals(row.get("name"))) {
                    existing = row;
                }
            }
            if (existing == null) {
                modules.insert(values("name", module, "shortdesc", module, "state", state));
            } else {
                existing.put("state", state);
            }
        }
        return this;
    }

    /**
     * What Odoo's neutralization does to a staging copy (odoo/addons/base/data/neutralize.sql):
     * {@code database.is_neutralized}, every cron but the autovacuum off, every mail server off, and a
     * dummy server that goes nowhere.
     */
    public SimulatedDatabase neutralize() {
        synchronized (lock) {
            setParam("database.is_neutralized", "true");
            for (Map<String, Object> row : model("ir.cron").allRows()) {
                if (!Integer.valueOf(1).equals(row.get("id"))) {
                    row.put("active", false);
                }
            }
            for (Map<String, Object> row : model("ir.mail_server").allRows()) {
                row.put("active", false);
            }
            addMailServer(values("name", "neutralization - disable emails", "smtp_host", "invalid", "smtp_port", 1025,
                    "sequence", 1));
        }
        return this;
    }

    // ---- the mail scheduler ------------------------------------------------------------------------

    public MailCron mailCron() {
        return mailCron;
    }

    /** Puts the scheduler into one of the stalled states the watchdog must recognise. */
    public SimulatedDatabase stall(Stall stall) {
        Instant now = clock.instant();
        switch (stall) {
            case SCHEDULER_INACTIVE -> mailCron.active(false);
            case NO_CRON_WORKER -> {
                cronWorkers(false);
                mailCron.active(true).nextcall(now.minus(Duration.ofHours(6)));
            }
            case NUMBERCALL_EXHAUSTED -> mailCron.active(true).numbercall(0).nextcall(now.minus(Duration.ofHours(2)));
        }
        return this;
    }

    /**
     * Turns this database's background cron worker on or off (off by default). On, it polls every
     * {@link #cronPollPeriod} and runs the mail cron when it is due, on a thread of its own.
     */
    public SimulatedDatabase cronWorkers(boolean on) {
        cronWorker.enabled(on);
        return this;
    }

    public boolean cronWorkers() {
        return cronWorker.enabled();
    }

    /** How often the background worker polls (Odoo: 60 s). */
    public SimulatedDatabase cronPollPeriod(Duration period) {
        cronWorker.pollPeriod(period);
        return this;
    }

    /**
     * One poll of a cron worker, now, whether or not the background worker runs: starts a run when the
     * mail cron is due (active, numbercall not 0 on 16.0/17.0, nextcall reached, no module pending) and
     * not locked. Tests await the returned run.
     */
    public Optional<CronRun> tick() {
        return cronWorker.poll();
    }

    /** The {@code ir.cron.progress} rows (18.0+), oldest first, as Java values. */
    public List<Map<String, Object>> cronProgress() {
        synchronized (lock) {
            OrmModel progress = models.get("ir.cron.progress");
            List<Map<String, Object>> out = new ArrayList<>();
            if (progress != null) {
                progress.allRows().forEach(r -> out.add(new LinkedHashMap<>(r)));
            }
            return out;
        }
    }

    // ---- for the simulator's own classes -----------------------------------------------------------

    VersionProfile profile() {
        return profile;
    }

    Clock clock() {
        return clock;
    }

    OrmModel model(String modelName) {
        return models.get(modelName);
    }

    MailQueue mailQueue() {
        return mailQueue;
    }

    CronWorker cronWorker() {
        return cronWorker;
    }

    DeliveryLog deliveryLog() {
        return deliveries;
    }

    /** {@code execute_kw} after the credentials were checked. */
    Object execute(String modelName, String method, List<Object> args, Map<String, Object> kwargs) {
        OrmModel model = models.get(modelName);
        if (model == null) {
            throw RpcFault.userError("Object " + modelName + " doesn't exist");
        }
        return model.call(method, args, kwargs);
    }

    /** {@code authenticate}: the uid, or null when Odoo would answer False. */
    Integer authenticate(String givenLogin, String givenPassword) {
        return login.equals(givenLogin) && accepted.equals(givenPassword) ? ADMIN : null;
    }

    /** Odoo checks the uid and secret on every execute_kw (res.users.check). */
    boolean accepts(Object givenUid, String givenPassword) {
        int u = givenUid instanceof Number n ? n.intValue() : givenUid instanceof String s && s.matches("\\d+")
                ? Integer.parseInt(s) : -1;
        return u == ADMIN && accepted.equals(givenPassword);
    }

    String displayName(String modelName, int id) {
        OrmModel model = models.get(modelName);
        if (model != null) {
            Map<String, Object> row = model.row(id);
            if (row != null) {
                return model.displayName(row);
            }
        }
        return foreignNames.getOrDefault(modelName + "," + id, modelName + "," + id);
    }

    /** The value of an ir.config_parameter, or null; caller holds the lock. */
    String configParameter(String key) {
        Map<String, Object> row = ((IrConfigParameterModel) model("ir.config_parameter")).find(key);
        return row == null ? null : (String) row.get("value");
    }

    String userEmail() {
        synchronized (lock) {
            Object email = model("res.users").row(ADMIN).get("email");
            return email == null ? null : email.toString();
        }
    }

    /**
     * The SMTP server a mail goes through: its own {@code mail_server_id}, else the active server with
     * the lowest sequence, else the default one. Caller holds the lock.
     */
    SmtpServerConfig smtpServerFor(Integer mailServerId) {
        OrmModel servers = model("ir.mail_server");
        if (mailServerId != null && servers.row(mailServerId) != null) {
            return IrMailServerModel.config(servers.row(mailServerId));
        }
        List<Map<String, Object>> active = servers.search(List.of(), Map.of(), 0, 1, "sequence, id");
        return active.isEmpty() ? defaultSmtp : IrMailServerModel.config(active.get(0));
    }

    /** Odoo's {@code <random.epoch.fraction-openerp-private@host>} shape, unique per database and mail. */
    String newMessageId(int id) {
        long prefix = Math.floorMod(name.hashCode(), 900_000_000) + 100_000_000L; // differs per database
        Instant now = clock.instant();
        return "<" + prefix + id + "." + now.getEpochSecond() + "." + String.format("%09d", now.getNano())
                + "-openerp-private@simulated-odoo>";
    }

    boolean hasPendingModules() {
        for (Map<String, Object> row : model("ir.module.module").allRows()) {
            if (String.valueOf(row.get("state")).startsWith("to ")) {
                return true;
            }
        }
        return false;
    }

    /** {@code reset_modules_state}: what Odoo does once pending modules blocked the crons for 5 hours. */
    void resetPendingModules() {
        for (Map<String, Object> row : model("ir.module.module").allRows()) {
            String state = String.valueOf(row.get("state"));
            if ("to install".equals(state)) {
                row.put("state", "uninstalled");
            } else if (state.startsWith("to ")) {
                row.put("state", "installed");
            }
        }
    }

    /** A progress row of a manual run (18.0 method_direct_trigger's {@code _add_progress}). */
    void addCronProgress(int cronId) {
        synchronized (lock) {
            OrmModel progress = model("ir.cron.progress");
            if (progress != null) {
                progress.insert(values("cron_id", cronId, "remaining", 0, "done", 0, "deactivate", false,
                        "timed_out_counter", 0));
            }
        }
    }

    void stop() {
        cronWorker.enabled(false);
        mailCron.release();
    }
}
