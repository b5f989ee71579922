package io.mailwatchdog.recovery;

import java.util.Objects;

/** One write that policy allows now, with the check that calls for it and why. */
public record PlannedAction(Kind kind, String check, String reason) {

    public enum Kind {
        /** A hold left by a crashed or stale writer: settle its ids, restore the cron. */
        RESTORE_HOLD,
        /** Set the mail scheduler cron active again (and numbercall unlimited on 16.0/17.0). */
        REVIVE_CRON,
        /** Send the mail due for longer than flush.after through the flush protocol. */
        FLUSH_QUEUE
    }

    public PlannedAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
