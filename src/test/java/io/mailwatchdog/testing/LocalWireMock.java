package io.mailwatchdog.testing;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A WireMock on a free loopback port, started once per test class and reset before every test. */
public final class LocalWireMock {

    private LocalWireMock() {
    }

    public static WireMockExtension extension() {
        return WireMockExtension.newInstance()
                .options(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"))
                .build();
    }
}
