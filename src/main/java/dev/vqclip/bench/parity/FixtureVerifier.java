package dev.vqclip.bench.parity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs check groups against a fixtures folder and collects their results in group order. */
public final class FixtureVerifier {
    private final List<FixtureCheckGroup> groups;

    public FixtureVerifier(List<FixtureCheckGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one check group");
        }
        this.groups = List.copyOf(groups);
    }

    /** The model groups: VQGAN ({@code vqgan_tiny.*}) and CLIP ({@code clip_tiny.*}), on the CPU in float32. */
    public static FixtureVerifier models() {
        return new FixtureVerifier(List.of(new VqganFixtureChecks("vqgan_tiny"), new ClipFixtureChecks("clip_tiny")));
    }

    /** Shorthand for {@code models().verify(fixturesDir)}. */
    public static List<FixtureCheck> verifyModels(Path fixturesDir) {
        return models().verify(fixturesDir);
    }

    public List<FixtureCheckGroup> groups() {
        return groups;
    }

    /** A new verifier that also runs {@code more} after this one's groups. */
    public FixtureVerifier with(FixtureCheckGroup... more) {
        List<FixtureCheckGroup> all = new ArrayList<>(groups);
        all.addAll(List.of(more));
        return new FixtureVerifier(all);
    }

    public List<FixtureCheck> verify(Path fixturesDir) {
        if (!Files.isDirectory(fixturesDir)) {
            throw new IllegalArgumentException("fixtures folder does not exist: " + fixturesDir);
        }
        List<FixtureCheck> out = new ArrayList<>();
        for (FixtureCheckGroup g : groups) {
            out.addAll(g.run(fixturesDir));
        }
        return out;
    }
}
