package io.mailwatchdog.act;

import io.mailwatchdog.odoo.MailQueueFlusher;
import io.mailwatchdog.odoo.MailState;
import io.mailwatchdog.odoo.OdooException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads where flushed mails went once they stopped moving. A flush call that returned has committed
 * every mail (process_email_queue commits one by one), so one read suffices. A call that timed out or
 * broke may still run inside Odoo, blocking up to 60 s per SMTP step between two changes: its ids count
 * as settled only once they stayed unchanged for the quiet window (re-read every settle-interval),
 * within a bound; past it they are "still changing" and nothing may be restored yet.
 */
final class Settler {

    private final MailQueueFlusher flusher;
    private final Pause pause;
    private final Duration interval;
    private final Duration quiet;
    private final Duration bound;

    Settler(MailQueueFlusher flusher, Pause pause, Duration interval, Duration quiet, Duration bound) {
        this.flusher = flusher;
        this.pause = pause;
        this.interval = interval.isZero() || interval.isNegative() ? Duration.ofMillis(1) : interval;
        this.quiet = quiet;
        this.bound = bound;
    }

    Optional<Map<Integer, MailState>> settle(List<Integer> ids, boolean callReturned) throws OdooException {
        Map<Integer, MailState> previous = flusher.states(ids);
        if (callReturned) {
            return Optional.of(previous);
        }
        // counted in slept intervals, not on a clock: a test's Pause need not sleep
        long needed = Math.max(1, quiet.toMillis() / interval.toMillis());
        long allowed = Math.max(needed, bound.toMillis() / interval.toMillis());
        long unchanged = 0;
        for (long read = 0; read < allowed; read++) {
            try {
                pause.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            Map<Integer, MailState> now = flusher.states(ids);
            unchanged = now.equals(previous) ? unchanged + 1 : 0;
            if (unchanged >= needed) {
                return Optional.of(now);
            }
            previous = now;
        }
        return Optional.empty();
    }

    /** sent / exception / outgoing / other / gone counts of one batch, for the journal and the log. */
    static Map<String, Object> tally(List<Integer> ids, Map<Integer, MailState> states) {
        int sent = 0;
        int exception = 0;
        int outgoing = 0;
        int other = 0;
        for (MailState m : states.values()) {
            switch (m.state() == null ? "" : m.state()) {
                case "sent" -> sent++;
                case "exception" -> exception++;
                case "outgoing" -> outgoing++;
                default -> other++;
            }
        }
        int gone = (int) ids.stream().filter(id -> !states.containsKey(id)).count();
        return Map.of("sent", sent, "exception", exception, "outgoing", outgoing, "other", other, "gone", gone);
    }
}
