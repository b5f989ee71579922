package io.mailwatchdog.odoo;

import java.time.Duration;
import java.util.List;

/**
 * One request to Odoo's external API. XML-RPC today; Odoo 19's JSON-2 can implement this later
 * without touching callers. Values in and out are plain Java: String, Integer, Boolean, Double,
 * List/Object[] and Map&lt;String, Object&gt;.
 */
public interface OdooTransport {

    enum Service {
        COMMON("common"),
        OBJECT("object");

        private final String path;

        Service(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /**
     * Calls {@code method} on the service and returns the decoded result.
     *
     * @param replyTimeout the bound on the whole reply; the SMTP test needs more than a read
     * @param label what the call is, for error messages (never holds a secret)
     */
    Object call(Service service, String method, List<Object> params, Duration replyTimeout, String label)
            throws OdooException;

    /** The default reply timeout of this transport. */
    Duration replyTimeout();

    /**
     * The server's clock as the HTTP {@code Date} header of the last reply said it (one-second
     * resolution); empty when no reply carried one. Leases are judged on it, not on this host's clock.
     */
    default java.util.Optional<java.time.Instant> serverTime() {
        return java.util.Optional.empty();
    }

    /** Number of requests sent so far: the cost the watchdog puts on Odoo. */
    long requestCount();

    /** Where this transport goes, for error messages (never holds a secret). */
    String describe();
}
