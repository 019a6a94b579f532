package dev.vqclip.bench.parity;

import java.nio.file.Path;
import java.util.List;

/**
 * A family of checks that reads its files from a fixtures folder by their standard names and compares the Java
 * implementation with the stored upstream outputs. New families (tokenizer, loop) implement this and are added to
 * a {@link FixtureVerifier}.
 */
public interface FixtureCheckGroup {

    /** Short name for reports, e.g. "vqgan". */
    String name();

    /** Runs every check of this group against the files in {@code fixturesDir}. */
    List<FixtureCheck> run(Path fixturesDir);
}
