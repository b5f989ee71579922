package io.mailwatchdog.journal;

import java.util.Locale;

/** How a journaled write to Odoo ended. */
public enum Outcome {
    /** Odoo confirmed the write (or a re-read showed its effect). */
    DONE,
    /** Odoo refused the write, or it was not attempted after its intent. */
    FAILED,
    /** The call timed out or crashed: the write may or may not have happened; reconciliation decides. */
    UNKNOWN;

    /** The form written to the journal: {@code done}, {@code failed}, {@code unknown}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
