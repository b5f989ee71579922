package io.mailwatchdog.act;

import java.time.Duration;

/** Waiting between re-reads; tests pass one that does not sleep. */
@FunctionalInterface
public interface Pause {
    void sleep(Duration duration) throws InterruptedException;

    Pause REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
