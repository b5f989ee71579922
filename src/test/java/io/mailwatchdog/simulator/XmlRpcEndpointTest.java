package io.mailwatchdog.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP and XML-RPC surface: Odoo's wire format, and what a hostile or broken request gets. */
class XmlRpcEndpointTest {

    SimulatedOdoo odoo;

    @BeforeEach
    void start() {
        odoo = new SimulatedOdoo(new SimulatedClock(Instant.parse("2026-11-23T12:00:00Z")));
        odoo.addDatabase("shop", "18.0").queue(1, Instant.parse("2026-11-23T11:00:00Z"));
        odoo.addDatabase("old", "16.0");
    }

    @AfterEach
    void stop() {
        odoo.close();
    }

    String object() {
        return odoo.url() + "/xmlrpc/2/object";
    }

    static String call(String db, String password, String model, String method, String args, String kwargs) {
        return "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>"
                + "<param><value><string>" + db + "</string></value></param><param><value><int>2</int></value></param>"
                + "<param><value><string>" + password + "</string></value></param>"
                + "<param><value><string>" + model + "</string></value></param>"
                + "<param><value><string>" + method + "</string></value></param>"
                + "<param><value><array><data>" + args + "</data></array></value></param>"
                + "<param><value><struct>" + kwargs + "</struct></value></param></params></methodCall>";
    }

    @Test
    void repliesAreWrittenAsOdoosMarshallerWritesThem() {
        String fields = "<member><name>fields</name><value><array><data><value><string>id</string></value>"
                + "<value><string>subject</string></value><value><string>scheduled_date</string></value>"
                + "<value><string>mail_server_id</string></value></data></array></value></member>";
        RawXmlRpc.Raw raw = RawXmlRpc.postRaw(object(), "POST", call("shop", "admin", "mail.mail", "search_read",
                "<value><array><data></data></array></value>", fields).getBytes(StandardCharsets.UTF_8));

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentType()).isEqualTo("text/xml; charset=utf-8");
        assertThat(raw.connection()).isEqualTo("close");
        assertThat(raw.body()).contains("<int>1</int>", "<string>Invoice INV/1</string>", "<boolean>0</boolean>")
                .doesNotContain("<i4>", "<nil", "ex:");
    }

    @Test
    void aFaultIsHttp200WithAnIntCodeAndTheMessage() {
        RawXmlRpc.Reply denied = RawXmlRpc.post(object(), call("shop", "wrong", "mail.mail", "search_count",
                "<value><array><data></data></array></value>", ""));
        RawXmlRpc.Reply noModel = RawXmlRpc.post(object(), call("shop", "admin", "no.such.model", "search_count",
                "<value><array><data></data></array></value>", ""));
        RawXmlRpc.Reply noDatabase = RawXmlRpc.post(object(), call("nope", "admin", "mail.mail", "search_count",
                "<value><array><data></data></array></value>", ""));

        assertThat(denied.faultCode()).isEqualTo(3);
        assertThat(denied.faultString()).isEqualTo("Access Denied");
        assertThat(noModel.faultCode()).isEqualTo(2);
        assertThat(noModel.faultString()).isEqualTo("Object no.such.model doesn't exist");
        assertThat(noDatabase.faultCode()).isEqualTo(1);
        assertThat(noDatabase.lastLine()).startsWith("psycopg2.OperationalError:").endsWith("database \"nope\" does not exist");
    }

    @Test
    void aPrivateMethodIsFaultFourInTheWordsOfEachVersion() {
        String args = "<value><array><data></data></array></value>";
        assertThat(RawXmlRpc.post(object(), call("shop", "admin", "mail.mail", "_send", args, "")).faultString())
                .isEqualTo("Private methods (such as 'mail.mail._send') cannot be called remotely.");
        assertThat(RawXmlRpc.post(object(), call("old", "admin", "mail.mail", "_send", args, "")).faultString())
                .isEqualTo("Private methods (such as _send) cannot be called remotely.");
    }

    @Test
    void aFieldTheVersionLacksIsAValueError() {
        String ids = "<value><array><data><value><int>2</int></value></data></array></value>";
        String fields = "<member><name>fields</name><value><array><data><value><string>failure_count</string></value>"
                + "</data></array></value></member>";
        RawXmlRpc.Reply reply = RawXmlRpc.post(object(), call("old", "admin", "ir.cron", "read", ids, fields));
        assertThat(reply.faultCode()).isEqualTo(1);
        assertThat(reply.lastLine()).isEqualTo("ValueError: Invalid field 'failure_count' on model 'ir.cron'");
    }

    @Test
    void versionAtADatabasesOwnUrlAnswersThatDatabasesVersion() {
        String version = "<?xml version='1.0'?><methodCall><methodName>version</methodName><params></params></methodCall>";
        assertThat(RawXmlRpc.post(odoo.url() + "/xmlrpc/2/common", version).struct()).containsEntry("server_version", "18.0");
        assertThat(RawXmlRpc.post(odoo.url("old") + "/xmlrpc/2/common", version).struct())
                .containsEntry("server_version", "16.0").containsEntry("server_serie", "16.0")
                .containsEntry("protocol_version", 1);
    }

    @Test
    void onlyPostOnTheXmlRpcPathsIsAnswered() {
        assertThat(RawXmlRpc.postRaw(object(), "GET", null).status()).isEqualTo(405);
        assertThat(RawXmlRpc.postRaw(odoo.url() + "/web/login", "POST", new byte[0]).status()).isEqualTo(404);
        assertThat(RawXmlRpc.postRaw(odoo.url() + "/db/nope/xmlrpc/2/object", "POST", new byte[0]).status()).isEqualTo(404);
    }

    @Test
    void aBodyLargerThanOneMebibyteIsRefusedUnparsed() {
        byte[] huge = new byte[SimulatedOdoo.MAX_REQUEST_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThat(RawXmlRpc.postRaw(object(), "POST", huge).status()).isEqualTo(413);
    }

    @Test
    void aDoctypeOrAnExtensionTypeIsRefusedAsAFaultWithoutExpandingAnything() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<methodCall><methodName>version</methodName><params><param><value>&x;</value></param></params></methodCall>";
        String nil = "<?xml version='1.0'?><methodCall xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'>"
                + "<methodName>version</methodName><params><param><value><ex:nil/></value></param></params></methodCall>";

        RawXmlRpc.Reply doctype = RawXmlRpc.post(odoo.url() + "/xmlrpc/2/common", xxe);
        RawXmlRpc.Reply extension = RawXmlRpc.post(odoo.url() + "/xmlrpc/2/common", nil);

        assertThat(doctype.faultCode()).isEqualTo(1);
        assertThat(doctype.lastLine()).contains("DOCTYPE").doesNotContain("root:");
        assertThat(extension.faultCode()).isEqualTo(1);
    }
}
