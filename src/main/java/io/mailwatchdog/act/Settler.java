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
 * crashed may still run inside Odoo: then the ids are re-read until two reads a settle-interval apart
 * agree, within a bound; past it they are "still changing" and nothing may be restored yet.
 */
final class Settler {

    private final MailQueueFlusher flusher;
    private final Pause pause;
    private final Duration interval;
    private final int maxReads;

    Settler(MailQueueFlusher flusher, Pause pause, Duration interval, Duration bound) {
        this.flusher = flusher;
        this.pause = pause;
        this.interval = interval;
        this.maxReads = (int) Math.max(2, Math.min(1000, bound.toMillis() / Math.max(1, interval.toMillis())));
    }

    Optional<Map<Integer, MailState>> settle(List<Integer> ids, boolean callReturned) throws OdooException {
        Map<Integer, MailState> previous = flusher.states(ids);
        if (callReturned) {
            return Optional.of(previous);
        }
        for (int read = 1; read < maxReads; read++) {
            try {
                pause.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            Map<Integer, MailState> now = flusher.states(ids);
            if (now.equals(previous)) {
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
