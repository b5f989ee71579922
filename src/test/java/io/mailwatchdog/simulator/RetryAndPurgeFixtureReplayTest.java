package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailwatchdog.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the exchanges recorded on real Odoo 16.0–19.0 for the retry and the purge (resources
 * fixtures-retry/, docs/odoo-facts-retry-cleanup.md) against a simulated database of the same version
 * holding the same rows, with the recorded ids, and compares each reply with the recorded one. Where
 * the simulator creates a row itself, its id stands in for the recorded one in requests and replies.
 */
class RetryAndPurgeFixtureReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FUTURE = Instant.parse("2099-01-01T00:00:00Z");

    /** One version's recording: its exchanges, its facts, and a simulated database to replay them on. */
    static final class Recording implements AutoCloseable {
        final Path dir;
        final JsonNode facts;
        final SimulatedOdoo odoo;
        final SimulatedDatabase db;
        final Map<Integer, Integer> simulatedIds = new HashMap<>();

        Recording(String version) {
            this.dir = resources().resolve("18".equals(version) ? "" : "v" + version);
            this.facts = json(dir.resolve("observed-facts.json"));
            // The clock stands at the recorded mails' creation, so that their dates read as recorded.
            String created = (String) ((Map<?, ?>) recorded("read_mail_mail_all_fields").array()[0]).get("create_date");
            this.odoo = new SimulatedOdoo(new SimulatedClock(Instant.parse(created.replace(' ', 'T') + "Z")));
            this.db = odoo.addDatabase("18".equals(version) ? "watchdog" : "watchdog" + version, version + ".0");
        }

        int fact(String... path) {
            JsonNode node = facts;
            for (String p : path) {
                node = p.matches("\\d+") ? node.get(Integer.parseInt(p)) : node.get(p);
            }
            return node.asInt();
        }

        RawXmlRpc.Reply recorded(String name) {
            return RawXmlRpc.parse(renumbered(Fixtures.read(dir.resolve(name + ".response.xml"))));
        }

        /** Sends the recorded request and checks the reply against the recorded one; returns the simulator's. */
        RawXmlRpc.Reply step(String name) {
            RawXmlRpc.Reply actual = send(name);
            ReplyComparison.assertSameReply(dir.getFileName() + " " + name, recorded(name), actual);
            return actual;
        }

        RawXmlRpc.Reply send(String name) {
            String request = renumbered(Fixtures.read(dir.resolve(name + ".request.xml")).replace("__ODOO_PASSWORD__", "admin"));
            return RawXmlRpc.post(odoo.url() + "/xmlrpc/2/object", request);
        }

        /** A mail as the probe created it: cancelled, due in 2099, from admin, with the recorded ids. */
        int mail(int id, int messageId, String subject, Map<String, Object> more) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("mail_message_id", messageId);
            fields.put("subject", "sim5 probe " + subject);
            fields.put("email_from", "admin@example.com");
            fields.put("email_to", "sim5-probe@watchdog.test");
            fields.put("body_html", "<p>sim5 probe body</p>");
            fields.put("auto_delete", false);
            fields.put("scheduled_date", FUTURE);
            fields.put("state", "cancel");
            fields.put("model", "res.partner");
            fields.put("res_id", 3);
            fields.putAll(more);
            return db.addMail(fields);
        }

        private String renumbered(String xml) {
            Matcher m = Pattern.compile("<int>(\\d+)</int>").matcher(xml);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                int recordedId = Integer.parseInt(m.group(1));
                m.appendReplacement(out, "<int>" + simulatedIds.getOrDefault(recordedId, recordedId) + "</int>");
            }
            return m.appendTail(out).toString();
        }

        @Override
        public void close() {
            odoo.close();
        }
    }

    @ParameterizedTest(name = "Odoo {0}.0")
    @ValueSource(strings = {"16", "17", "18", "19"})
    void unlinkOfAMailLinkedToNoDocumentIsRefusedForTheWholeCallAsOnRealOdoo(String version) {
        try (Recording r = new Recording(version)) {
            Map<String, Object> noDocument = Map.of("model", false, "res_id", false);
            r.mail(r.fact("no_document_mail", "id"), r.fact("no_document_mail", "mail_message_id"), "no document", noDocument);
            int withDocument = r.mail(r.fact("batch", "with_document"), r.fact("batch", "mail_message_ids", "0"), "partner 3", Map.of());
            r.mail(r.fact("batch", "no_document"), r.fact("batch", "mail_message_ids", "1"), "no document 2", noDocument);
            for (int i = 0; i < 3; i++) {
                r.mail(r.fact("unlink_3_no_document", "mail_ids", "" + i), r.fact("unlink_3_no_document", "mail_message_ids", "" + i),
                        "no document " + (i + 1) + " of 3", noDocument);
            }

            r.step("read_mail_mail_no_document");
            r.step("unlink_mail_mail_no_document");
            r.step("unlink_mail_mail_batch_with_no_document");
            r.step("search_read_mail_mail_after_refused_batch");
            r.step("unlink_mail_mail_three_no_document");
            r.step("unlink_mail_mail_with_document");
            assertThat(r.db.mail(withDocument)).isEmpty();
            r.step("unlink_mail_mail_deleted");
        }
    }

    @ParameterizedTest(name = "Odoo {0}.0")
    @ValueSource(strings = {"16", "17", "18", "19"})
    void cancelAndMarkOutgoingAnswerTrueWriteWhateverTheStateAndSkipDeletedMailsAsOnRealOdoo(String version) {
        try (Recording r = new Recording(version)) {
            int sent = r.mail(r.fact("sent_mail", "id"), r.fact("sent_mail", "mail_message_id"), "sent", Map.of("state", "sent"));

            r.step("mark_outgoing_mail_mail_sent");
            assertThat(r.db.mail(sent).orElseThrow()).containsEntry("state", "outgoing");
            r.step("cancel_mail_mail");
            r.step("cancel_mail_mail_with_deleted_id");
            r.step("mark_outgoing_mail_mail_deleted");
            assertThat(r.db.mail(sent).orElseThrow()).containsEntry("state", "cancel");
            r.step("search_read_mail_mail_in_with_deleted_id");
        }
    }

    @ParameterizedTest(name = "Odoo {0}.0")
    @ValueSource(strings = {"16", "17", "18", "19"})
    void readWithoutAFieldListAnswersEveryFieldWithTheValuesRealOdooGave(String version) {
        try (Recording r = new Recording(version)) {
            r.mail(r.fact("sent_mail", "id"), r.fact("sent_mail", "mail_message_id"), "sent", Map.of());

            for (String name : List.of("read_mail_mail_all_fields", "read_mail_mail_empty_field_list")) {
                Map<String, Object> expected = struct(r.recorded(name).array()[0]);
                Map<String, Object> actual = struct(r.send(name).array()[0]);
                assertThat(actual.keySet()).as(name + ": keys").containsExactlyInAnyOrderElementsOf(expected.keySet());
                // The author's avatar (an SVG) is not simulated: it reads False.
                expected.remove("author_avatar");
                actual.remove("author_avatar");
                ReplyComparison.assertSame(dirName(r) + " " + name, expected, actual);
            }
        }
    }

    @ParameterizedTest(name = "Odoo {0}.0")
    @ValueSource(strings = {"16", "17", "18", "19"})
    void attachmentsAreCreatedWithoutOwnerAndUnlinkDeletesOnlyThoseOfTheMessageAsOnRealOdoo(String version) {
        try (Recording r = new Recording(version)) {
            int inlineMail = r.fact("attachment_mails", "inline", "id");
            RawXmlRpc.Reply created = r.send("create_mail_mail_with_attachment");
            int simulatedMail = (Integer) created.value();
            r.simulatedIds.put(inlineMail, simulatedMail);
            Map<String, Object> mail = r.db.mail(simulatedMail).orElseThrow();
            r.simulatedIds.put(r.fact("attachment_mails", "inline", "mail_message_id"), (Integer) mail.get("mail_message_id"));
            r.simulatedIds.put(r.fact("inline_attachment", "0", "id"), ((List<?>) mail.get("attachment_ids")).stream()
                    .map(Integer.class::cast).findFirst().orElseThrow());

            r.step("read_mail_mail_attachment_ids");
            r.step("read_ir_attachment_inline");
            r.step("write_mail_mail_missing_attachment");
            r.step("create_ir_attachment_bad_base64");
            r.step("fields_get_ir_attachment");

            int linkedMail = r.mail(r.fact("attachment_mails", "linked", "id"), r.fact("attachment_mails", "linked", "mail_message_id"),
                    "attachments linked", Map.of());
            byte[] data = "sim5 probe attachment\n".getBytes(StandardCharsets.UTF_8);
            Map<String, Integer> byOwner = new LinkedHashMap<>();
            byOwner.put("none", r.db.addAttachment(linkedMail, "sim5 probe none.txt", data, "text/plain", null, null));
            byOwner.put("mail_message_0", r.db.addAttachment(linkedMail, "sim5 probe mail_message_0.txt", data, "text/plain",
                    "mail.message", 0));
            byOwner.put("res_partner_3", r.db.addAttachment(linkedMail, "sim5 probe res_partner_3.txt", data, "text/plain",
                    "res.partner", 3));
            byOwner.put("mail_message_own", r.db.addAttachment(linkedMail, "sim5 probe own message.txt", data, "text/plain"));
            for (Map.Entry<String, Integer> e : byOwner.entrySet()) {
                Map<String, Object> row = r.db.attachment(e.getValue()).orElseThrow();
                JsonNode owner = r.facts.get("linked_attachments").get(e.getKey());
                Object resModel = owner.get("res_model").isBoolean() ? null : owner.get("res_model").asText();
                int resId = "mail_message_own".equals(e.getKey()) ? r.fact("attachment_mails", "linked", "mail_message_id")
                        : owner.get("res_id").asInt();
                assertThat(row).as(e.getKey()).containsEntry("res_model", resModel).containsEntry("res_id", resId);
            }

            r.step("unlink_mail_mail_with_attachment");
            r.step("search_ir_attachment_after_unlink");
            for (Map.Entry<String, Integer> e : byOwner.entrySet()) {
                boolean keptOnRealOdoo = !r.facts.get("attachments_left_after_unlink").get(e.getKey()).isEmpty();
                assertThat(r.db.attachment(e.getValue()).isPresent()).as(e.getKey() + " kept").isEqualTo(keptOnRealOdoo);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> struct(Object value) {
        return (Map<String, Object>) value;
    }

    private static String dirName(Recording r) {
        return String.valueOf(r.dir.getFileName());
    }

    private static Path resources() {
        try {
            return Path.of(RetryAndPurgeFixtureReplayTest.class.getResource("/fixtures-retry").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
