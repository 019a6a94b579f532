package dev.vqclip.job;

import java.time.Duration;

/**
 * Wake-ups when stored jobs change, so workers and relays wait instead of polling at full speed. A reader that
 * only waits needs no write access to the queue, hence its own port.
 */
public interface Changes {

    /** Waits up to {@code max} for a change signalled by another process (PostgreSQL NOTIFY) or this one. */
    void awaitChange(Duration max) throws InterruptedException;

    /** Wakes {@link #awaitChange} waiters here and in other processes. */
    void signalChange();
}
