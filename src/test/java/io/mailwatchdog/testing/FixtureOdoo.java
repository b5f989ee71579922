package io.mailwatchdog.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingXPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * Serves the captured Odoo replies from WireMock, matching requests the way the fixtures' index.md
 * describes: by XPath on the method name, model and method, never byte for byte.
 */
public final class FixtureOdoo {

    private final WireMockExtension server;
    private final String version;

    public FixtureOdoo(WireMockExtension server, String version) {
        this.server = server;
        this.version = version;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public FixtureOdoo common(String method, String fixture) {
        return common(method, fixture, 10);
    }

    public FixtureOdoo common(String method, String fixture, int priority) {
        server.stubFor(reply(post(urlPathEqualTo("/xmlrpc/2/common"))
                .atPriority(priority)
                .withRequestBody(matchingXPath("/methodCall[methodName='" + method + "']")), fixture));
        return this;
    }

    /** Wrong-password stub: authenticate with the wrong secret gets the fixture's False. */
    public FixtureOdoo authenticateRefusing(String wrongPassword) {
        server.stubFor(reply(post(urlPathEqualTo("/xmlrpc/2/common"))
                .atPriority(1)
                .withRequestBody(matchingXPath("/methodCall[methodName='authenticate']"))
                .withRequestBody(matchingXPath(
                        "/methodCall/params/param[3]/value[normalize-space(.)='" + wrongPassword + "']")),
                "authenticate_wrong_password"));
        return this;
    }

    public FixtureOdoo execute(String model, String method, String fixture) {
        return execute(model, method, fixture, 10);
    }

    public FixtureOdoo execute(String model, String method, String fixture, int priority) {
        server.stubFor(reply(executeKw(model, method).atPriority(priority), fixture));
        return this;
    }

    /** Like {@link #execute} but only when the request's first argument lists this id. */
    public FixtureOdoo executeOnId(String model, String method, int id, String fixture) {
        server.stubFor(reply(executeKw(model, method).atPriority(5).withRequestBody(matchingXPath(
                "/methodCall/params/param[6]/value/array/data/value/array/data/value[normalize-space(.)='" + id + "']")),
                fixture));
        return this;
    }

    /** Serves one of our own captured or crafted replies (src/test/resources/captured). */
    public FixtureOdoo executeCaptured(String model, String method, String resource, int priority) {
        server.stubFor(executeKw(model, method).atPriority(priority).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml; charset=utf-8").withBody(captured(resource))));
        return this;
    }

    /** Like {@link #execute} but only when the request body contains {@code text} (e.g. a domain value). */
    public FixtureOdoo executeWhenBodyHas(String model, String method, String text, String fixture) {
        server.stubFor(reply(executeKw(model, method).atPriority(4).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(text)), fixture));
        return this;
    }

    public static String captured(String resource) {
        try (java.io.InputStream in = FixtureOdoo.class.getResourceAsStream("/captured/" + resource + ".response.xml")) {
            if (in == null) {
                throw new IllegalArgumentException("no captured reply " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every call a probe of an Odoo 18.0 makes, answered as its recording ended: 5 mails (2 sent,
     * 3 exceptions, nothing due), the cron active, and the sink as the one mail server.
     */
    public FixtureOdoo healthyOdoo18() {
        common("version", "version").common("authenticate", "authenticate_success")
                .execute("ir.model.data", "search_read", "search_read_ir_model_data_cron_xmlid")
                .execute("mail.mail", "read_group", "read_group_mail_mail_by_state_after")
                .executeCaptured("mail.mail", "search_read", "empty_list", 10)
                .executeWhenBodyHas("mail.mail", "search_read", "write_date desc", "search_read_mail_mail_exception")
                .execute("ir.cron", "read", "read_ir_cron")
                .executeCaptured("ir.mail_server", "search_read", "search_read_ir_mail_server_sink", 10)
                .executeCaptured("ir.config_parameter", "get_param", "get_param_false", 10)
                .executeCaptured("ir.module.module", "search_read", "empty_list", 10)
                .executeCaptured("ir.config_parameter", "search_read", "empty_list", 10)
                .executeCaptured("ir.cron.progress", "search_read", "empty_list", 10)
                .execute("ir.mail_server", "test_smtp_connection", "test_smtp_connection_success");
        return dueByHour("empty_list");
    }

    /** As {@link #healthyOdoo18}, but before the queue ran: mails 2 and 3 outgoing since 00:49:33. */
    public FixtureOdoo backlogOdoo18() {
        healthyOdoo18().execute("mail.mail", "read_group", "read_group_mail_mail_by_state", 9)
                .executeCaptured("mail.mail", "search_read", "search_read_mail_mail_due_18", 9);
        return dueByHour("due_by_hour_18_backlog");
    }

    private FixtureOdoo dueByHour(String resource) {
        server.stubFor(executeKw("mail.mail", "read_group").atPriority(4)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("create_date:hour"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml; charset=utf-8")
                        .withBody(captured(resource))));
        return this;
    }

    public static MappingBuilder executeKw(String model, String method) {
        return post(urlPathEqualTo("/xmlrpc/2/object"))
                .withRequestBody(matchingXPath("/methodCall[methodName='execute_kw']"))
                .withRequestBody(matchingXPath("/methodCall/params/param[4]/value[normalize-space(.)='" + model + "']"))
                .withRequestBody(matchingXPath("/methodCall/params/param[5]/value[normalize-space(.)='" + method + "']"));
    }

    private MappingBuilder reply(MappingBuilder mapping, String fixture) {
        return mapping.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml; charset=utf-8")
                .withBody(Fixtures.response(version, fixture)));
    }
}
