package io.mailwatchdog.alert;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** One alert on its way to one webhook: its body, its attempts so far, and whether its outcome is counted. */
final class Delivery {

    final Alert alert;
    final String body;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile int attempts;
    /** The HTTP attempt in flight or the scheduled retry, cancelled if the alerter closes first. */
    private volatile Future<?> pending;

    Delivery(Alert alert, String body) {
        this.alert = alert;
        this.body = body;
    }

    int attempts() {
        return attempts;
    }

    int countAttempt() {
        return ++attempts;
    }

    void pending(Future<?> f) {
        pending = f;
    }

    /** True once: whoever settles the delivery counts and logs its outcome, so nothing is counted twice. */
    boolean settle() {
        boolean first = settled.compareAndSet(false, true);
        if (first) {
            Future<?> f = pending;
            if (f != null && !f.isDone()) {
                f.cancel(false);
            }
        }
        return first;
    }

    boolean isSettled() {
        return settled.get();
    }
}
