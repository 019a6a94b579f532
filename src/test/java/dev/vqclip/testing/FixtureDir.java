package dev.vqclip.testing;

import java.nio.file.Path;

/** The fixtures folder the pom passes to tests ({@code vqclip.fixtures.dir}), or the source tree default. */
public final class FixtureDir {
    private FixtureDir() {
    }

    public static Path get() {
        return Path.of(System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures"));
    }
}
