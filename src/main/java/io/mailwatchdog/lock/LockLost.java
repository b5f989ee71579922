package io.mailwatchdog.lock;

/** The lock row this writer held is gone or belongs to someone else now: stop writing at once. */
public final class LockLost extends Exception {
    private static final long serialVersionUID = 1L;

    public LockLost(String message) {
        super(message);
    }
}
