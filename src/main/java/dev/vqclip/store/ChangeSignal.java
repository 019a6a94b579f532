package dev.vqclip.store;

import java.time.Duration;

/** Wakes waiting workers and relays when the queue changes, instead of having them poll at full speed. */
interface ChangeSignal extends AutoCloseable {
    void await(Duration max) throws InterruptedException;

    void signal();

    @Override
    void close();
}
