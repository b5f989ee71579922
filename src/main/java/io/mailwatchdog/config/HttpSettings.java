package io.mailwatchdog.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's HTTP endpoints.
 *
 * @param bind  the address to listen on, non-blank
 * @param port  0..65535; 0 = any free port
 * @param token the bearer token that all but /healthz and /readyz ask for; empty = none
 */
public record HttpSettings(String bind, int port, Optional<Secret> token) {
    public HttpSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
    }
}
