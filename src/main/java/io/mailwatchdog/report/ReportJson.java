package io.mailwatchdog.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailwatchdog.health.Finding;
import io.mailwatchdog.health.Status;
import io.mailwatchdog.health.TargetReport;
import io.mailwatchdog.odoo.MailStateCounts;
import io.mailwatchdog.probe.AgeBucket;
import io.mailwatchdog.probe.FailureSignatureGroup;
import io.mailwatchdog.probe.QueueSnapshot;
import io.mailwatchdog.probe.ServerSnapshot;
import io.mailwatchdog.probe.Snapshot;
import java.time.Instant;
import java.util.List;

/**
 * The {@code check --format json} document, published as docs/check-output.schema.json:
 * {@code {status, generatedAt, targets: [{target, status, queue, scheduler, servers, findings}]}}.
 * Public because {@code /status} of the HTTP endpoints serves the same per-target shape.
 */
public final class ReportJson {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static ObjectNode document(Status overall, List<TargetReport> reports, Instant generatedAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", overall.name());
        root.put("generatedAt", generatedAt.toString());
        ArrayNode targets = root.putArray("targets");
        for (TargetReport r : reports) {
            targets.add(target(r));
        }
        return root;
    }

    /** One target's object, {@code #/$defs/target} of docs/check-output.schema.json. */
    public static ObjectNode target(TargetReport r) {
        Snapshot s = r.snapshot();
        ObjectNode t = JSON.createObjectNode();
        t.put("target", r.target());
        t.put("status", r.status().name());
        if (r.recovery() != null) {
            t.put("recovery", r.recovery());
        }
        t.put("odooVersion", s.odooVersion());
        t.put("probedAt", s.takenAt().toString());
        t.put("probeMillis", s.duration().toMillis());
        t.put("requests", s.requests());
        if (s.failure() != null) {
            ObjectNode error = t.putObject("error");
            error.put("kind", s.failure().kind());
            error.put("message", s.failure().message());
        }
        t.set("queue", queue(s.queue()));
        t.set("scheduler", s.scheduler() == null ? null : JSON.valueToTree(s.scheduler()));
        ArrayNode servers = t.putArray("servers");
        for (ServerSnapshot server : s.servers()) {
            servers.add(JSON.valueToTree(server));
        }
        if (s.database() != null) {
            ObjectNode db = t.putObject("database");
            db.put("neutralized", s.database().neutralized());
            db.set("modulesPending", JSON.valueToTree(s.database().modulesPending()));
        }
        if (!s.partialErrors().isEmpty()) {
            t.set("notes", JSON.valueToTree(s.partialErrors()));
        }
        ArrayNode findings = t.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode fn = findings.addObject();
            fn.put("check", f.check());
            fn.put("status", f.status().name());
            fn.put("summary", f.summary());
            fn.put("hint", f.hint());
            fn.set("evidence", JSON.valueToTree(f.evidence()));
        }
        return t;
    }

    /** All five states always present (0 when empty), so a consumer never has to guess. */
    static JsonNode queue(QueueSnapshot q) {
        ObjectNode out = JSON.createObjectNode();
        if (q == null) {
            for (String state : MailStateCounts.STATES) {
                out.putNull(state);
            }
            out.putNull("oldestOutgoingAgeSeconds");
            return out;
        }
        q.counts().byState().forEach(out::put);
        out.put("due", q.due());
        out.put("oldestOutgoingAgeSeconds", q.oldestDueAgeSeconds());
        if (q.oldestDueId() != null) {
            out.put("oldestOutgoingId", q.oldestDueId());
        }
        ArrayNode histogram = out.putArray("ageHistogram");
        for (AgeBucket b : q.ageHistogram()) {
            histogram.add(JSON.valueToTree(b));
        }
        out.put("exceptionsLastHour", q.exceptionsLastHour());
        out.put("exceptionsLast24h", q.exceptionsLast24h());
        ObjectNode failures = out.putObject("failureSignatures");
        failures.put("sampled", q.exceptionSampleSize());
        failures.put("sampleLimit", q.exceptionSampleLimit());
        ArrayNode top = failures.putArray("top");
        for (FailureSignatureGroup g : q.signatures()) {
            top.add(JSON.valueToTree(g));
        }
        return out;
    }

}
