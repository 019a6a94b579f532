package dev.vqclip.bench.job;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time for discrete-event runs ({@link FairnessBench}): it stands still until the simulation moves it
 * to the next event, and never moves back, so the store and the service see the simulation's time, not the wall's.
 */
public final class SimulatedClock extends Clock {
    private final long startMs;
    private volatile long nowMs;

    public SimulatedClock(Instant start) {
        this.startMs = start.toEpochMilli();
        this.nowMs = startMs;
    }

    /** Moves to {@code elapsedMs} after the start; refuses to go back in time. */
    public void advanceTo(long elapsedMs) {
        long target = startMs + elapsedMs;
        if (target < nowMs) {
            throw new IllegalArgumentException("simulated time only moves forward: at " + (nowMs - startMs)
                    + " ms, asked for " + elapsedMs + " ms");
        }
        nowMs = target;
    }

    /** Milliseconds since the start. */
    public long elapsedMs() {
        return nowMs - startMs;
    }

    @Override
    public long millis() {
        return nowMs;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(nowMs);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
