package dev.vqclip.engine;

/** Set by anyone, read by the optimizer once per step. */
public final class CancellationToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
