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
 */
public final class ManualClock extends Clock {
    private final AtomicLong millis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
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
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}
