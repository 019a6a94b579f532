package dev.vqclip.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ContestStoreTest extends ContestStoreContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return TestDatabases.h2(dir);
    }
}
