package dev.vqclip.store;

import dev.vqclip.job.Changes;

/** Wakes waiting workers and relays when the queue changes; owned by the job store, closed with it. */
interface ChangeSignal extends Changes, AutoCloseable {
    @Override
    void close();
}
