package io.mailwatchdog.daemon;

import io.mailwatchdog.config.TargetSettings;
import io.mailwatchdog.odoo.OdooSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One logged-in session per target, kept between jobs: {@code authenticate} costs Odoo about half a
 * second of CPU (the password hash), against ~100 ms for a whole probe's reads. A session is made anew
 * when the target's settings change (a reload, a new secret) or after Odoo refused it.
 */
final class TargetSessions {

    private record Entry(TargetSettings settings, OdooSession session) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Function<TargetSettings, OdooSession> factory;

    TargetSessions(Function<TargetSettings, OdooSession> factory) {
        this.factory = factory;
    }

    OdooSession session(TargetSettings target) {
        return sessions.compute(target.name(), (name, old) -> old != null && old.settings().equals(target)
                && !old.session().isRefused() ? old : new Entry(target, factory.apply(target))).session();
    }

    void forget(String target) {
        sessions.remove(target);
    }
}
