package dev.vqclip.store;

/** The records contract on the embedded default, an H2 file database. */
class H2JobRecordsTest extends JobRecordsContract {
    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
