package dev.vqclip.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on the embedded default: an H2 file database (claims by compare-and-set). */
class H2JobStoreTest extends JobStoreContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
