package io.mailwatchdog.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OdooUrlTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "127.8.9.10", "[::1]", "[0:0:0:0:0:0:0:1]", "odoo",
            "odoo.prod.svc", "odoo.prod.svc.cluster.local", "odoo.cluster.local", "odoo.internal", "LOCALHOST"})
    void treatsLoopbackAndClusterLocalHostsAsLocal(String host) {
        assertThat(OdooUrl.isLocalHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"erp.example.com", "10.0.0.5", "128.0.0.1", "[2001:db8::1]", "svc.example.com", "internal.example.com"})
    void treatsOtherHostsAsRemote(String host) {
        assertThat(OdooUrl.isLocalHost(host)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "erp.example.com            | expected an absolute http:// or https:// URL",
            "ftp://erp.example.com      | expected an absolute http:// or https:// URL",
            "https://a:b@erp.example.com | must not contain user:password@",
            "https://erp.example.com/?db=x | must not have a query",
            "https://erp.example.com/#menu | must not have a query",
            "https://erp.example.com/xmlrpc/2/common | without /xmlrpc",
            "https://under_score/       | has no host name",
            "https://erp example.com    | not a valid URL"})
    void rejectsUrlsThatAreNotAnOdooBaseUrl(String url, String expected) {
        List<String> problems = new ArrayList<>();

        assertThat(OdooUrl.parse(url, problems::add)).isEmpty();
        assertThat(problems).singleElement().asString().contains(expected);
    }
}
