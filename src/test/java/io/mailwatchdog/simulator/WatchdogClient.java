package io.mailwatchdog.simulator;

import io.mailwatchdog.odoo.OdooException;
import io.mailwatchdog.odoo.OdooFault;
import io.mailwatchdog.odoo.OdooSession;
import io.mailwatchdog.odoo.TransportOptions;
import io.mailwatchdog.odoo.XmlRpcOdooTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The watchdog's own XML-RPC session (transport, English context, fault types) on a simulated database. */
final class WatchdogClient {

    final OdooSession session;

    WatchdogClient(SimulatedOdoo odoo, String database) {
        this(odoo.url(database), database, "admin", "admin");
    }

    WatchdogClient(String url, String database, String login, String password) {
        XmlRpcOdooTransport transport = new XmlRpcOdooTransport(new TransportOptions(URI.create(url),
                Duration.ofSeconds(5), Duration.ofSeconds(60), TransportOptions.DEFAULT_MAX_RESPONSE_BYTES, Optional.empty()));
        this.session = new OdooSession(transport, database, login, password);
    }

    Object call(String model, String method, List<?> args, Map<String, ?> kwargs) throws OdooException {
        return session.execute(model, method, args, kwargs);
    }

    /** The fault a call ends with (the test fails if it answers). */
    OdooFault fault(String model, String method, List<?> args, Map<String, ?> kwargs) {
        try {
            Object reply = session.execute(model, method, args, kwargs);
            throw new AssertionError(model + "." + method + " answered " + reply + " instead of a fault");
        } catch (OdooFault fault) {
            return fault;
        } catch (OdooException e) {
            throw new AssertionError(e);
        }
    }

    /** A method returning None: the marshal-None fault must mean "done" by the watchdog's own rule. */
    void callReturningNone(String model, String method, List<?> args, Map<String, ?> kwargs) throws OdooException {
        session.executeReturningNone(model, method, args, kwargs, Duration.ofSeconds(60));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Object reply) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object o : (Object[]) reply) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }
}
