package dev.vqclip.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The records contract on the embedded default, an H2 file database. */
class H2JobRecordsTest extends JobRecordsContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
