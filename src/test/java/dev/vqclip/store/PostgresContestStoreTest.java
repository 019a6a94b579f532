package dev.vqclip.store;

/** The contest store on PostgreSQL; skipped visibly without a server (VQCLIP_TEST_PG_URL). */
class PostgresContestStoreTest extends ContestStoreContract {
    @Override
    Database open() {
        return TestDatabases.postgres();
    }
}
