package dev.vqclip.store;

/** The queue contract on PostgreSQL (claims with FOR UPDATE SKIP LOCKED); skipped visibly without a server. */
class PostgresJobQueueTest extends JobQueueContract {
    @Override
    Database open() {
        return TestDatabases.postgres();
    }
}
