package io.mailwatchdog.odoo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A logged-in conversation with one Odoo database. Nothing is kept on the server between calls: the
 * uid and secret travel with every {@code execute_kw}. A refused login becomes {@link LoginRefused},
 * and the caller parks the target instead of trying again.
 */
public final class OdooSession {

    private static final Map<String, Object> ENGLISH = Map.of("lang", "en_US");

    private final OdooTransport transport;
    private final String database;
    private final String login;
    private final String secret;
    // Read and written by the probe's parallel SMTP tests too.
    private volatile OdooVersion version;
    private volatile Integer uid;
    /** Once Odoo refused the secret, no call goes out again: each would count towards its login cooldown. */
    private volatile LoginRefused refused;

    public OdooSession(OdooTransport transport, String database, String login, String secret) {
        this.transport = transport;
        this.database = database;
        this.login = login;
        this.secret = secret;
    }

    /** Odoo refused this session's secret: it sends nothing any more; a new secret needs a new session. */
    public boolean isRefused() {
        return refused != null;
    }

    public OdooTransport transport() {
        return transport;
    }

    /** {@code common.version()}, asked once per session; needs no credentials. */
    public OdooVersion version() throws OdooException {
        if (version == null) {
            Object reply = transport.call(OdooTransport.Service.COMMON, "version", List.of(),
                    transport.replyTimeout(), "version()");
            version = OdooVersion.fromVersionStruct(reply, transport.describe());
        }
        return version;
    }

    /** Authenticates once; {@code False} means the login or secret is wrong (not a fault). */
    public int login() throws OdooException {
        if (refused != null) {
            throw refused;
        }
        Integer known = uid;
        if (known != null) {
            return known;
        }
        Object reply;
        try {
            reply = transport.call(OdooTransport.Service.COMMON, "authenticate",
                    List.of(database, login, secret, new HashMap<String, Object>()), transport.replyTimeout(),
                    "authenticate()");
        } catch (OdooFault.OdooAccessDenied denied) {
            throw refused(denied.lastLine());
        }
        if (reply instanceof Integer id && id > 0) {
            uid = id;
            return id;
        }
        if (Boolean.FALSE.equals(reply)) {
            throw refused("wrong login or password, or an expired or revoked API key");
        }
        throw new OdooProtocolError("unexpected reply to authenticate(): neither a user id nor False");
    }

    private LoginRefused refused(String why) {
        LoginRefused e = new LoginRefused("Odoo refused the login of '" + login + "' on database '" + database + "': " + why);
        refused = e;
        uid = null;
        return e;
    }

    public Object execute(String model, String method, List<?> args, Map<String, ?> kwargs) throws OdooException {
        return execute(model, method, args, kwargs, transport.replyTimeout());
    }

    /**
     * {@code execute_kw} with an English context, so that fault texts used for classification stay in
     * English whatever the user's language.
     */
    public Object execute(String model, String method, List<?> args, Map<String, ?> kwargs, Duration timeout)
            throws OdooException {
        int user = login();
        Map<String, Object> kw = new HashMap<>(kwargs);
        @SuppressWarnings("unchecked")
        Map<String, Object> context = kw.get("context") instanceof Map<?, ?> c
                ? new HashMap<>((Map<String, Object>) c) : new HashMap<>();
        context.putAll(ENGLISH);
        kw.put("context", context);
        List<Object> params = new ArrayList<>(List.of(database, user, secret, model, method));
        params.add(new ArrayList<>(args));
        params.add(kw);
        try {
            return transport.call(OdooTransport.Service.OBJECT, "execute_kw", params, timeout, model + "." + method);
        } catch (OdooFault.OdooAccessDenied denied) {
            // Fault 3 on a call: the secret stopped working (expired API key, archived user).
            throw refused(denied.lastLine());
        }
    }

    /**
     * Calls a method that returns None ({@code send}, {@code process_email_queue}, {@code action_retry}).
     * Their marshal-None fault means the work was done; the caller must re-read to see the effect.
     */
    public void executeReturningNone(String model, String method, List<?> args, Map<String, ?> kwargs,
                                     Duration timeout) throws OdooException {
        try {
            execute(model, method, args, kwargs, timeout);
        } catch (OdooFault fault) {
            if (!MarshalNoneRule.meansDone(method, fault)) {
                throw fault;
            }
        }
    }

    public String database() {
        return database;
    }
}
