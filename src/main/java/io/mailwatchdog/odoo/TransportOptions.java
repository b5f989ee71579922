package io.mailwatchdog.odoo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How to reach one Odoo: base URL (a path prefix is allowed), timeouts, response cap, extra CA. */
public record TransportOptions(URI baseUrl, Duration connectTimeout, Duration replyTimeout,
                               long maxResponseBytes, Optional<Path> caFile) {

    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    public URI endpoint(OdooTransport.Service service) {
        String base = baseUrl.toString();
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmed + "/xmlrpc/2/" + service.path());
    }
}
