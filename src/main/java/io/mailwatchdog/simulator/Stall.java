package io.mailwatchdog.simulator;

/** The ways a mail scheduler stops sending that the demo and the tests stage (ODOO-NOTES.md §6). */
public enum Stall {
    /** The cron was deactivated: no worker ever picks it. */
    SCHEDULER_INACTIVE,
    /** The cron is active, but no worker runs ({@code max_cron_threads = 0}): its nextcall lies hours back. */
    NO_CRON_WORKER,
    /** 16.0/17.0: {@code numbercall} reached 0 while the cron stayed active; the runner skips it. */
    NUMBERCALL_EXHAUSTED
}
