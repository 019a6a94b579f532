package dev.vqclip.store;

/** The queue contract on the embedded default: an H2 file database (claims by compare-and-set). */
class H2JobQueueTest extends JobQueueContract {
    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
