package io.mailwatchdog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailwatchdog.config.Settings;
import io.mailwatchdog.config.SettingsPrinter;
import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.history.HistoryEntry;
import io.mailwatchdog.history.HistoryLines;
import io.mailwatchdog.history.HistoryReader;
import io.mailwatchdog.history.JsonText;
import io.mailwatchdog.history.LastProbe;
import io.mailwatchdog.journal.Journal;
import io.mailwatchdog.journal.JournalQuery;
import io.mailwatchdog.journal.JournalRecord;
import io.mailwatchdog.report.ReportJson;
import io.mailwatchdog.state.SmtpTestMemory;
import io.mailwatchdog.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a support bundle holds for one target, read from state-dir only (never from Odoo): each file's name and
 * text, and why a file is missing. It reads only the files it names, so nothing of {@code state-dir/archive}
 * (the rows of cancelled or purged mail, with their password-reset links) can get in; and it drops any field
 * that holds mail content should a journal record or snapshot ever carry one. Secrets are masked by the
 * caller, over every file.
 */
final class SupportBundle {

    static final Duration HISTORY_AGE = Duration.ofDays(7);
    static final int HISTORY_LINES = 20_000;
    static final int JOURNAL_RECORDS = 1_000;

    /** Fields of mail.mail (and of an archive's rows) that hold what a mail says or to whom: never in a bundle. */
    static final Set<String> MAIL_CONTENT = Set.of("body", "body_html", "body_content", "subject", "email_from",
            "email_to", "email_cc", "email_bcc", "reply_to", "recipient_ids", "partner_ids", "headers", "references",
            "attachment_ids", "rows");

    record Entry(String name, String text) {
    }

    private final Settings settings;
    private final TargetSettings target;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    /** Name of a file that is not in the bundle → why. */
    private final Map<String, String> missing = new LinkedHashMap<>();
    private int historySkipped;
    private int journalSkipped;

    private SupportBundle(Settings settings, TargetSettings target, Clock clock) {
        this.settings = settings;
        this.target = target;
        this.clock = clock;
    }

    /** Whether state-dir holds anything of the target: its last probe, its history or its journal. */
    static boolean hasState(Path stateDir, String target) {
        return Files.isRegularFile(LastProbe.file(stateDir, target)) || HistoryReader.exists(stateDir, target)
                || Files.isRegularFile(Journal.file(stateDir, target));
    }

    /** Reads what the bundle of {@code target} holds; {@code log} is the daemon's log, when one was named. */
    static SupportBundle collect(Settings settings, TargetSettings target, Clock clock, Optional<DaemonLogTail> log)
            throws IOException {
        SupportBundle b = new SupportBundle(settings, target, clock);
        b.entries.add(new Entry("config.txt", SettingsPrinter.masked(settings, target.name())));
        b.lastProbe();
        b.history();
        b.journal();
        if (log.isPresent()) {
            b.entries.add(new Entry(DaemonLogTail.ENTRY, log.get().text()));
        } else {
            b.missing.put(DaemonLogTail.ENTRY, "no --log-file was given (the daemon logs to stdout/journald)");
        }
        return b;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    Map<String, String> missing() {
        return Map.copyOf(missing);
    }

    int historySkipped() {
        return historySkipped;
    }

    int journalSkipped() {
        return journalSkipped;
    }

    private void lastProbe() throws IOException {
        Optional<JsonNode> read = LastProbe.read(settings.stateDir(), target.name());
        if (read.isEmpty()) {
            String why = Files.isRegularFile(LastProbe.file(settings.stateDir(), target.name()))
                    ? "state-dir/last holds a file for this target that cannot be read"
                    : "state-dir/last holds no probe of this target (the daemon writes it after every probe)";
            for (String name : List.of("last-snapshot.json", "findings.json", "failure-signatures.txt",
                    "smtp-tests.json", "scheduler.json")) {
                missing.put(name, why);
            }
            rememberedSmtpTestsOnly();
            return;
        }
        JsonNode doc = withoutMailContent(read.get());
        JsonNode snapshot = doc.path("snapshot");
        ObjectNode last = header(doc);
        last.set("snapshot", snapshot);
        entries.add(new Entry("last-snapshot.json", pretty(last)));
        ObjectNode findings = header(doc);
        findings.set("findings", doc.path("findings"));
        entries.add(new Entry("findings.json", pretty(findings)));
        entries.add(new Entry("failure-signatures.txt", FailureSignaturesText.render(target.name(), snapshot)));
        ObjectNode smtp = JsonText.JSON.createObjectNode();
        smtp.put("probedAt", snapshot.path("takenAt").asText(null));
        smtp.set("servers", snapshot.path("servers"));
        smtp.set("remembered", rememberedSmtpTests());
        entries.add(new Entry("smtp-tests.json", pretty(smtp)));
        ObjectNode scheduler = JsonText.JSON.createObjectNode();
        scheduler.put("probedAt", snapshot.path("takenAt").asText(null));
        scheduler.set("scheduler", snapshot.path("scheduler"));
        entries.add(new Entry("scheduler.json", pretty(scheduler)));
    }

    /** Without a last probe, the SMTP test job's memory is still worth sending. */
    private void rememberedSmtpTestsOnly() throws IOException {
        JsonNode remembered = rememberedSmtpTests();
        if (!remembered.isEmpty()) {
            ObjectNode smtp = JsonText.JSON.createObjectNode();
            smtp.set("remembered", remembered);
            entries.add(new Entry("smtp-tests.json", pretty(smtp)));
            missing.remove("smtp-tests.json");
        }
    }

    private JsonNode rememberedSmtpTests() {
        return JsonText.JSON.valueToTree(new SmtpTestMemory(new StateFiles(settings.stateDir())).load(target.name()));
    }

    private void history() throws IOException {
        if (!HistoryReader.exists(settings.stateDir(), target.name())) {
            missing.put("history.jsonl", "state-dir/history holds no history of this target");
            return;
        }
        Instant now = clock.instant();
        HistoryLines lines = HistoryReader.read(settings.stateDir(), target.name()).between(now.minus(HISTORY_AGE), null);
        historySkipped = lines.skipped();
        List<HistoryEntry> recent = lines.entries();
        recent = recent.subList(Math.max(0, recent.size() - HISTORY_LINES), recent.size());
        StringBuilder text = new StringBuilder();
        for (HistoryEntry e : recent) {
            text.append(JsonText.JSON.writeValueAsString(withoutMailContent(JsonText.JSON.valueToTree(e)))).append('\n');
        }
        entries.add(new Entry("history.jsonl", text.toString()));
    }

    private void journal() throws IOException {
        if (!Files.isRegularFile(Journal.file(settings.stateDir(), target.name()))) {
            missing.put("journal.jsonl", "state-dir/journal holds no journal of this target (the watchdog never wrote to its Odoo)");
            return;
        }
        Journal journal = Journal.open(settings.stateDir(), target.name(), clock);
        List<JournalRecord> records = journal.read(JournalQuery.all().withLimit(JOURNAL_RECORDS));
        journalSkipped = journal.skippedLines();
        StringBuilder text = new StringBuilder();
        for (JournalRecord r : records) {
            text.append(JsonText.JSON.writeValueAsString(withoutMailContent(JsonText.JSON.valueToTree(r)))).append('\n');
        }
        entries.add(new Entry("journal.jsonl", text.toString()));
    }

    private ObjectNode header(JsonNode doc) {
        ObjectNode out = JsonText.JSON.createObjectNode();
        out.put("target", doc.path("target").asText(target.name()));
        out.put("savedAt", doc.path("savedAt").asText(null));
        out.put("status", doc.path("status").asText(null));
        return out;
    }

    private static String pretty(JsonNode node) throws IOException {
        return ReportJson.JSON.writeValueAsString(node) + "\n";
    }

    /** A copy of {@code node} without any {@link #MAIL_CONTENT} field, at any depth. */
    static JsonNode withoutMailContent(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(MAIL_CONTENT);
            object.forEach(SupportBundle::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(SupportBundle::strip);
        }
    }
}
