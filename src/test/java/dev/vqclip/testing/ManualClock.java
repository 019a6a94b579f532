package dev.vqclip.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that moves only when the test moves it, safe to read from the threads of the code under test.
 * Millisecond resolution, like the database timestamps and Discord's rate-limit windows the tests compare against.
 * A {@linkplain #stepping stepping} clock also moves by a fixed tick after every read, for code that measures
 * its own elapsed time without the test being able to step in between.
 */
public final class ManualClock extends Clock {
    private static final Instant STEPPING_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong millis;
    private final long tickMillis;

    public ManualClock(Instant start) {
        this(start, 0);
    }

    private ManualClock(Instant start, long tickMillis) {
        this.millis = new AtomicLong(start.toEpochMilli());
        this.tickMillis = tickMillis;
    }

    /** A clock that returns its current time and then moves forward by {@code tick} on every read. */
    public static ManualClock stepping(Duration tick) {
        if (tick.toMillis() < 1) {
            throw new IllegalArgumentException("a stepping clock needs a tick of at least 1 ms, got " + tick);
        }
        return new ManualClock(STEPPING_START, tick.toMillis());
    }

    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward, got " + d);
        }
        millis.addAndGet(d.toMillis());
    }

    /** Moves the clock to {@code instant}, which must not be earlier than now. */
    public void set(Instant instant) {
        advance(Duration.between(instant(), instant));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis.getAndAdd(tickMillis);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
