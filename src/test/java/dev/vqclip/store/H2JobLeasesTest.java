package dev.vqclip.store;

/** The lease contract on the embedded default, an H2 file database. */
class H2JobLeasesTest extends JobLeasesContract {
    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
