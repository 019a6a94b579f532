package dev.vqclip.store;

import dev.vqclip.job.Accounts;
import dev.vqclip.job.Changes;
import dev.vqclip.job.Deliveries;
import dev.vqclip.job.JobQueue;
import dev.vqclip.job.JobReads;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Leases;
import dev.vqclip.job.Pruning;
import dev.vqclip.job.Settings;
import dev.vqclip.job.WorkerRegistry;
import java.time.Clock;

/**
 * The job store over JDBC (H2 or PostgreSQL): opens every part on one {@link Database} with one clock and one
 * change signal, so writes in any part wake the waiters of all. Closing it stops the signal's listener; the
 * database belongs to the caller.
 */
public final class JdbcJobStore implements JobStore {
    private final Clock clock;
    private final ChangeSignal signal;
    private final JobQueue queue;
    private final Leases leases;
    private final JobReads reads;
    private final Deliveries deliveries;
    private final Accounts accounts;
    private final WorkerRegistry workers;
    private final Settings settings;
    private final Pruning pruning;

    public JdbcJobStore(Database db, Clock clock) {
        this.clock = clock;
        this.signal = db.dialect() == Dialect.POSTGRESQL ? new PgChangeSignal(db) : new LocalChangeSignal();
        this.queue = new JdbcJobQueue(db, clock, signal);
        this.leases = new JdbcLeases(db, clock, signal);
        this.reads = new JdbcJobReads(db);
        this.deliveries = new JdbcDeliveries(db, clock);
        this.accounts = new JdbcAccounts(db, clock);
        this.workers = new JdbcWorkerRegistry(db, clock);
        this.settings = new JdbcSettings(db, signal);
        this.pruning = new JdbcPruning(db, clock);
    }

    /** A store whose times come from the database's clock, so processes with skewed clocks still agree. */
    public static JdbcJobStore withDatabaseTime(Database db, Clock local) {
        return new JdbcJobStore(db, new DatabaseClock(db, local));
    }

    /** The clock this store writes and compares times with (the database's, for stores made by withDatabaseTime). */
    public Clock clock() {
        return clock;
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public JobReads reads() {
        return reads;
    }

    @Override
    public Deliveries deliveries() {
        return deliveries;
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public WorkerRegistry workers() {
        return workers;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Pruning pruning() {
        return pruning;
    }

    @Override
    public Changes changes() {
        return signal;
    }

    @Override
    public void close() {
        signal.close();
    }
}
