package io.mailwatchdog.config;

/**
 * What the daemon may do to a target ({@code mode = act | observe}, case-insensitive).
 * {@link #ACT}: it revives the mail scheduler and flushes the queue as configured, each write
 * journaled first. {@link #OBSERVE}: it probes, reports and alerts, but never writes to Odoo.
 */
public enum Mode { ACT, OBSERVE }
