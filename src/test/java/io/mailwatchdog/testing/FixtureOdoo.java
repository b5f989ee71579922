package io.mailwatchdog.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingXPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * Serves the captured Odoo replies from WireMock, matching requests the way the fixtures' index.md
 * describes: by XPath on the method name, model and method, never byte for byte.
 */
public final class FixtureOdoo {

    private final WireMockServer server;
    private final String version;

    public FixtureOdoo(WireMockServer server, String version) {
        this.server = server;
        this.version = version;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
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
