package dev.vqclip.app;

import dev.vqclip.contest.ContestStore;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.MentionLog;
import dev.vqclip.job.Showcase;
import dev.vqclip.store.Database;
import dev.vqclip.store.Dialect;
import dev.vqclip.store.JdbcContestStore;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcMentionLog;
import dev.vqclip.store.JdbcShowcase;
import java.time.Clock;
import java.util.Locale;

/**
 * One open database and the ports built on it; closing it closes the job store, then the database. Made by
 * {@link StoreFactory}; callers see only the ports, so the JDBC classes stay behind this one seam.
 */
public final class Stores implements AutoCloseable {
    private final Database db;
    private final JdbcJobStore jobs;

    Stores(Database db, JdbcJobStore jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    public JobStore jobs() {
        return jobs;
    }

    /** The clock the job store compares times with: what other processes agree on (leases, quota windows). */
    public Clock sharedClock() {
        return jobs.clock();
    }

    /** Gallery, timelapses and health figures, timestamped by {@code clock}. */
    public Showcase showcase(Clock clock) {
        return new JdbcShowcase(db, clock);
    }

    /** The X adapter's mention log and monthly budget, timestamped by {@code clock}. */
    public MentionLog mentions(Clock clock) {
        return new JdbcMentionLog(db, clock);
    }

    public ContestStore contests() {
        return new JdbcContestStore(db);
    }

    /** "h2" or "postgresql". */
    public String dialect() {
        return db.dialect().name().toLowerCase(Locale.ROOT);
    }

    /**
     * True for an embedded H2 database: one process owns it, so whatever it finds RUNNING at start belongs to a dead
     * incarnation of that process.
     */
    public boolean ownedByOneProcess() {
        return db.dialect() == Dialect.H2;
    }

    /** The database's URL with any password masked, for messages. */
    public String redactedUrl() {
        return Database.redacted(db.url());
    }

    @Override
    public void close() {
        try {
            jobs.close();
        } finally {
            db.close();
        }
    }
}
