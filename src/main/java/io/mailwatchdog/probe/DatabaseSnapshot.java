package io.mailwatchdog.probe;

import java.util.List;

/** Database-wide facts: mail off on purpose, and module operations that block every cron. */
public record DatabaseSnapshot(boolean neutralized, List<String> modulesPending) {
}
