package dev.vqclip.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * The database server's clock, as seen from this process: the local clock plus the offset measured against the
 * database (half the round trip taken off), measured again every {@link #REMEASURE} of monotonic time. Leases and
 * finish times that several processes compare then agree even when a machine's clock is off by minutes.
 */
public final class DatabaseClock extends Clock {
    static final Duration REMEASURE = Duration.ofSeconds(30);

    private final Database db;
    private final Clock local;
    private volatile long offsetMs;
    private volatile long measuredAtNanos;

    DatabaseClock(Database db, Clock local) {
        this.db = db;
        this.local = local;
        measure();
    }

    private void measure() {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            long before = local.millis();
            long dbMs;
            try (ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                rs.next();
                dbMs = rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli();
            }
            long after = local.millis();
            offsetMs = dbMs - (before + after) / 2;
            measuredAtNanos = System.nanoTime();
        } catch (SQLException e) {
            // keep the last offset: a database that cannot answer cannot take our writes either
            if (measuredAtNanos == 0) {
                throw new StoreException("could not read the database's clock: " + e.getMessage(), e);
            }
        }
    }

    /** How far the database's clock is ahead of this process's (negative: behind). */
    public Duration offset() {
        return Duration.ofMillis(offsetMs);
    }

    @Override
    public long millis() {
        if (System.nanoTime() - measuredAtNanos > REMEASURE.toNanos()) {
            measure();
        }
        return local.millis() + offsetMs;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return local.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new DatabaseClock(db, local.withZone(zone));
    }
}
