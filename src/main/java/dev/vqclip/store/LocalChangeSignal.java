package dev.vqclip.store;

import java.time.Duration;

/** In-process wake-ups (H2: one process owns the database); waiters also return after {@code max} as a poll. */
final class LocalChangeSignal implements ChangeSignal {
    private final Object monitor = new Object();
    private long generation;

    @Override
    public void awaitChange(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (monitor) {
            long seen = generation;
            while (generation == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void signalChange() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    @Override
    public void close() {
        signalChange();
    }
}
