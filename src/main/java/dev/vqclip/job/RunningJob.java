package dev.vqclip.job;

import dev.vqclip.engine.CancellationToken;
import java.util.concurrent.atomic.AtomicReference;

/** A job a worker is rendering, shared between the render thread and the heartbeat thread. */
final class RunningJob {
    /** Why a render was stopped. */
    enum Stop { NONE, USER, LEASE_LOST, SHUTDOWN }

    final Lease lease;
    final CancellationToken token = new CancellationToken();
    final AtomicReference<Stop> stop = new AtomicReference<>(Stop.NONE);
    /** Null when the worker keeps no timelapses. */
    final Timelapse timelapse;
    volatile int iteration;
    volatile Double loss;
    /** When the store last confirmed the lease (monotonic). */
    volatile long leaseConfirmedNanos = System.nanoTime();

    RunningJob(Lease lease, Timelapse timelapse) {
        this.lease = lease;
        this.timelapse = timelapse;
    }

    /** The first reason wins: a lost lease after a user's cancel is still a cancel. */
    void stop(Stop why) {
        stop.compareAndSet(Stop.NONE, why);
        token.cancel();
    }
}
