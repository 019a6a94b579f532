package dev.vqclip.engine.weights;

import java.nio.file.Path;

/** The shared fixture folder (the pom passes it as {@code vqclip.fixtures.dir}). */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        String dir = System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures");
        return Path.of(dir).resolve(name);
    }
}
