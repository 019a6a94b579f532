package dev.vqclip.store;

/** The contest store on the embedded default, an H2 file database. */
class H2ContestStoreTest extends ContestStoreContract {
    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
