package io.mailwatchdog.lock;

/** Another writer holds the target's lock and its lease has not expired: wait, or give up (exit 2). */
public final class LockBusy extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient LockState state;

    public LockBusy(LockState state) {
        super("another writer holds the lock of this database: " + state.owner() + ", renewed "
                + state.age().toSeconds() + " s ago (lease " + state.lease().toSeconds() + " s)");
        this.state = state;
    }

    public LockState state() {
        return state;
    }
}
