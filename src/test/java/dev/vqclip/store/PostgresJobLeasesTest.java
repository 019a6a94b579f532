package dev.vqclip.store;

/** The lease contract on PostgreSQL; skipped visibly without a server (VQCLIP_TEST_PG_URL). */
class PostgresJobLeasesTest extends JobLeasesContract {
    @Override
    Database open() {
        return TestDatabases.postgres();
    }
}
