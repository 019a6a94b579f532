package dev.vqclip.store;

/** The queue contract on PostgreSQL (claims with FOR UPDATE SKIP LOCKED); skipped visibly without a server. */
class PostgresJobStoreTest extends JobStoreContract {
    @Override
    Database open() {
        return TestDatabases.postgres();
    }
}
