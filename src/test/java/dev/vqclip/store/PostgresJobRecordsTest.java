package dev.vqclip.store;

/** The records contract on PostgreSQL; skipped visibly without a server. */
class PostgresJobRecordsTest extends JobRecordsContract {
    @Override
    Database open() {
        return TestDatabases.postgres();
    }
}
