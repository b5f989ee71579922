package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the retry and the stale-mail purge meet, through the watchdog's own XML-RPC session and the
 * simulator's Java API: unlink refused for mails linked to no document, attachments kept or deleted with
 * their mail, read of every field (docs/odoo-facts-retry-cleanup.md).
 */
class MailUnlinkAndAttachmentsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final byte[] PDF = "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII);
    /** Python's {@code hashlib.sha1(b'%PDF-1.4 invoice').hexdigest()}. */
    static final String PDF_SHA1 = "8c3526f167d4d081865deedab66c927aeaef0232";
    SimulatedOdoo odoo;
    SimulatedDatabase db;
    WatchdogClient client;

    @BeforeEach
    void start() {
        odoo = new SimulatedOdoo(new SimulatedClock(NOW));
        db = odoo.addDatabase("shop", "18.0");
        client = new WatchdogClient(odoo, db.name());
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    @Test
    void unlinkOfAMailLinkedToNoDocumentIsRefusedForTheWholeCall() {
        int linked = db.addMail(Map.of("state", "sent"));
        int orphan = db.addMail(Map.of("state", "sent", "model", false));
        int attachment = db.addAttachment(linked, "invoice.pdf", PDF, null);

        OdooFault refused = client.fault("mail.mail", "unlink", List.of(List.of(linked, orphan)), Map.of());

        Object orphanMessage = db.mail(orphan).orElseThrow().get("mail_message_id");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.faultString()).isEqualTo("The requested operation cannot be completed due to security restrictions."
                + " Please contact your system administrator.\n\n(Document type: Message, Operation: unlink)\n\n"
                + "Records: [" + orphanMessage + "], User: 2");
        assertThat(db.mail(linked)).isPresent();
        assertThat(db.mail(orphan)).isPresent();
        assertThat(db.attachment(attachment)).isPresent();
    }

    @Test
    void aMailAddedWithoutModelReadsAsLinkedToNoDocument() throws OdooException {
        int orphan = db.addMail(Map.of("model", false));

        Map<String, Object> read = WatchdogClient.rows(client.call("mail.mail", "read",
                List.of(List.of(orphan), List.of("model", "res_id", "record_name", "mail_message_id")), Map.of())).get(0);

        assertThat(read).containsEntry("model", false).containsEntry("res_id", 0).containsEntry("record_name", false);
        assertThat((Object[]) read.get("mail_message_id")).containsExactly(db.mail(orphan).orElseThrow().get("mail_message_id"), false);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"model set without res_id, res.partner, 0, email_outgoing",
                "a user notification, res.partner, 7, user_notification"})
    void unlinkIsRefusedForEveryMessageThatFailsOdoosDocumentCondition(String what, String model, int resId, String type) {
        int mail = db.addMail(Map.of("model", model, "res_id", resId, "message_type", type));

        OdooFault refused = client.fault("mail.mail", "unlink", List.of(List.of(mail)), Map.of());

        assertThat(refused.code()).isEqualTo(4);
        assertThat(db.mail(mail)).isPresent();
    }

    @Test
    void aNotificationMailLinkedToNoDocumentIsUnlinkedAndItsMessageKeepsItsAttachments() throws OdooException {
        int notification = db.addMail(Map.of("model", false, "is_notification", true));
        int attachment = db.addAttachment(notification, "invoice.pdf", PDF, "application/pdf");

        assertThat(client.call("mail.mail", "unlink", List.of(List.of(notification)), Map.of())).isEqualTo(true);

        assertThat(db.mail(notification)).isEmpty();
        assertThat(db.attachment(attachment)).isPresent();
    }

    @Test
    void unlinkOfAMailDeletesTheAttachmentsItsMessageOwnsAndKeepsTheOthers() throws OdooException {
        int mail = db.addMail(Map.of());
        int ownedByMessage = db.addAttachment(mail, "invoice.pdf", PDF, "application/pdf");
        int ownedByNoMessage = db.addAttachment(mail, "terms.pdf", PDF, "application/pdf", "mail.message", 0);
        int ownedByNobody = db.addAttachment(mail, "inline.txt", PDF, "text/plain", null, null);
        int ownedByPartner = db.addAttachment(mail, "contract.pdf", PDF, "application/pdf", "res.partner", 3);

        assertThat(client.call("mail.mail", "unlink", List.of(List.of(mail)), Map.of())).isEqualTo(true);

        assertThat(db.attachment(ownedByMessage)).isEmpty();
        assertThat(db.attachment(ownedByNoMessage)).isEmpty();
        assertThat(db.attachment(ownedByNobody)).isPresent();
        assertThat(db.attachment(ownedByPartner)).isPresent();
        assertThat(db.attachments()).extracting(a -> a.get("id")).containsExactly(ownedByNobody, ownedByPartner);
    }

    @Test
    void unlinkOfADeletedMailIsAMissingErrorAndTheOthersOfTheCallStay() {
        int kept = db.addMail(Map.of());

        OdooFault missing = client.fault("mail.mail", "unlink", List.of(List.of(kept, 999)), Map.of());

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.faultString()).isEqualTo("Record does not exist or has been deleted.\n(Record: mail.mail(999,), User: 2)");
        assertThat(db.mail(kept)).isPresent();
    }

    @Test
    void readOfAMailGivesItsAttachmentIdsAndTheAttachmentItsContentInBase64() throws OdooException {
        int mail = db.addMail(Map.of());
        int attachment = db.addAttachment(mail, "invoice.pdf", PDF, null);

        Map<String, Object> read = WatchdogClient.rows(client.call("mail.mail", "read",
                List.of(List.of(mail), List.of("attachment_ids")), Map.of())).get(0);
        Map<String, Object> file = WatchdogClient.rows(client.call("ir.attachment", "read", List.of(List.of(attachment),
                List.of("name", "mimetype", "file_size", "checksum", "datas", "res_model", "res_id")), Map.of())).get(0);

        assertThat((Object[]) read.get("attachment_ids")).containsExactly(attachment);
        assertThat(file).containsEntry("name", "invoice.pdf").containsEntry("mimetype", "application/pdf")
                .containsEntry("file_size", PDF.length).containsEntry("datas", Base64.getEncoder().encodeToString(PDF))
                .containsEntry("checksum", PDF_SHA1)
                .containsEntry("res_model", "mail.message")
                .containsEntry("res_id", db.mail(mail).orElseThrow().get("mail_message_id"));
    }

    @Test
    void attachmentCommandsOverXmlRpcCreateLinkAndUnlinkAsOdooDoes() throws OdooException {
        String base64 = Base64.getEncoder().encodeToString("hello\n".getBytes(StandardCharsets.UTF_8));
        int mail = (Integer) client.call("mail.mail", "create", List.of(Map.of("subject", "with a file", "model", "res.partner",
                "res_id", 3, "attachment_ids", List.of(List.of(0, 0, Map.of("name", "hello.txt", "datas", base64))))), Map.of());
        int inline = (Integer) ((List<?>) db.mail(mail).orElseThrow().get("attachment_ids")).get(0);
        int other = (Integer) client.call("ir.attachment", "create", List.of(Map.of("name", "other", "datas", base64)), Map.of());

        client.call("mail.mail", "write", List.of(List.of(mail), Map.of("attachment_ids", List.of(List.of(4, other)))), Map.of());
        assertThat(db.mail(mail).orElseThrow().get("attachment_ids")).isEqualTo(List.of(inline, other));
        client.call("mail.mail", "write", List.of(List.of(mail), Map.of("attachment_ids", List.of(List.of(3, inline)))), Map.of());
        assertThat(db.mail(mail).orElseThrow().get("attachment_ids")).isEqualTo(List.of(other));
        client.call("mail.mail", "write", List.of(List.of(mail), Map.of("attachment_ids", List.of(List.of(6, 0, List.of(inline))))),
                Map.of());
        assertThat(db.mail(mail).orElseThrow().get("attachment_ids")).isEqualTo(List.of(inline));

        Map<String, Object> created = db.attachment(inline).orElseThrow();
        assertThat(created).containsEntry("res_model", null).containsEntry("res_id", 0).containsEntry("mimetype", "text/plain")
                .containsEntry("file_size", 6);
        assertThat(db.attachment(other).orElseThrow()).containsEntry("mimetype", "text/plain");
    }

    @Test
    void linkingAnAttachmentThatDoesNotExistIsRefusedByTheRelationsForeignKey() {
        int mail = db.addMail(Map.of());

        OdooFault refused = client.fault("mail.mail", "write", List.of(List.of(mail),
                Map.of("attachment_ids", List.of(List.of(6, 0, List.of(999999))))), Map.of());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.faultString()).endsWith("Constraint: message_attachment_rel_attachment_id_fkey\n");
    }

    @Test
    void deletingAnAttachmentTakesItOutOfTheMailsThatLinkedIt() throws OdooException {
        int mail = db.addMail(Map.of());
        int kept = db.addAttachment(mail, "a.pdf", PDF, null);
        int deleted = db.addAttachment(mail, "b.pdf", PDF, null);

        client.call("ir.attachment", "unlink", List.of(List.of(deleted)), Map.of());

        assertThat(db.mail(mail).orElseThrow().get("attachment_ids")).isEqualTo(List.of(kept));
    }

    @Test
    void searchFindsTheMailsThatHaveAttachments() throws OdooException {
        int plain = db.addMail(Map.of());
        int withFile = db.addMail(Map.of());
        int attachment = db.addAttachment(withFile, "a.pdf", PDF, null);

        assertThat((Object[]) client.call("mail.mail", "search", List.of(List.of(List.of("attachment_ids", "!=", false))), Map.of()))
                .containsExactly(withFile);
        assertThat((Object[]) client.call("mail.mail", "search", List.of(List.of(List.of("attachment_ids", "in", List.of(attachment)))),
                Map.of())).containsExactly(withFile);
        assertThat((Object[]) client.call("mail.mail", "search", List.of(List.of(List.of("attachment_ids", "=", false))), Map.of()))
                .containsExactly(plain);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "abc|binascii.Error: Incorrect padding",
            "ab=|binascii.Error: Incorrect padding",
            "abcde|binascii.Error: Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4"})
    void contentThatIsNotBase64IsRefusedWithPythonsError(String datas, String lastLine) {
        OdooFault refused = client.fault("ir.attachment", "create", List.of(Map.of("name", "bad", "datas", datas)), Map.of());

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.faultString().strip()).endsWith("\n" + lastLine);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"YW Jj", "YWJj====", "YW=Jj", "YWJj\n"})
    void contentIsDecodedAsPythonDecodesItIgnoringWhatIsNotBase64(String datas) throws OdooException {
        int id = (Integer) client.call("ir.attachment", "create", List.of(Map.of("name", "abc.bin", "datas", datas)), Map.of());

        assertThat((byte[]) db.attachment(id).orElseThrow().get("datas")).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "Odoo {0}")
    @ValueSource(strings = {"16.0", "17.0", "18.0", "19.0"})
    void readWithoutAFieldListAnswersEveryFieldThatFieldsGetLists(String version) throws OdooException {
        SimulatedDatabase other = odoo.addDatabase("v" + version.replace(".", ""), version);
        WatchdogClient otherClient = new WatchdogClient(odoo, other.name());
        int mail = other.addMail(Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) otherClient.call("mail.mail", "fields_get", List.of(), Map.of());

        for (List<?> args : List.of(List.of(List.of(mail)), List.of(List.of(mail), List.of()))) {
            Map<String, Object> read = WatchdogClient.rows(otherClient.call("mail.mail", "read", args, Map.of())).get(0);
            assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(fields.keySet());
            assertThat(read).containsEntry("body_html", "<p>Hello from the simulated Odoo</p>").containsEntry("body", "");
        }
        Map<String, Object> searched = WatchdogClient.rows(otherClient.call("mail.mail", "search_read",
                List.of(List.of(List.of("id", "in", List.of(mail, 999)))), Map.of())).get(0);
        assertThat(searched.keySet()).containsExactlyInAnyOrderElementsOf(fields.keySet());
        assertThat(fields).hasSize(Map.of("16.0", 67, "17.0", 67, "18.0", 66, "19.0", 72).get(version));
    }
}
