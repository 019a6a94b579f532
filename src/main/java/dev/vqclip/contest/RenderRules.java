package dev.vqclip.contest;

import dev.vqclip.prompt.Recipe;
import java.util.Optional;

/**
 * The render settings every entry of a contest shares, so entries differ only by their prompt.
 *
 * @param seed the shared seed under {@link SeedRule#SHARED}; ignored (0) under {@link SeedRule#PER_ENTRY}
 */
public record RenderRules(String vqgan, int width, int height, int iterations, int cutn, SeedRule seedRule, long seed) {
    public RenderRules {
        if (vqgan == null || vqgan.isBlank()) {
            throw new IllegalArgumentException("contest rules need a VQGAN model");
        }
        if (width < 1 || height < 1 || width > Recipe.MAX_SIDE || height > Recipe.MAX_SIDE) {
            throw new IllegalArgumentException("contest size must be 1.." + Recipe.MAX_SIDE + " per side, got "
                    + width + "x" + height);
        }
        if (iterations < 1 || iterations > Recipe.MAX_ITERATIONS) {
            throw new IllegalArgumentException("contest iterations must be 1.." + Recipe.MAX_ITERATIONS + ", got "
                    + iterations);
        }
        if (cutn < 1 || cutn > Recipe.MAX_CUTN) {
            throw new IllegalArgumentException("contest cutouts must be 1.." + Recipe.MAX_CUTN + ", got " + cutn);
        }
        if (seedRule == null) {
            throw new IllegalArgumentException("contest rules need a seed rule");
        }
        seed = seedRule == SeedRule.SHARED ? seed : 0;
    }

    public String size() {
        return width + "x" + height;
    }

    /**
     * The first rule a recipe breaks, named for the member; empty when it ran under these rules. Contests are
     * text-only, so init images and image prompts break the rules too.
     */
    public Optional<String> violation(Recipe r) {
        if (!r.vqgan().equals(vqgan)) {
            return Optional.of("model: the contest renders with " + vqgan + ", the image used " + r.vqgan());
        }
        if (r.width() != width || r.height() != height) {
            return Optional.of("size: the contest renders at " + size() + ", the image is " + r.width() + "x"
                    + r.height());
        }
        if (r.iterations() != iterations) {
            return Optional.of("iterations: the contest renders " + iterations + " steps, the image had "
                    + r.iterations());
        }
        if (r.cutn() != cutn) {
            return Optional.of("cutouts: the contest uses " + cutn + ", the image used " + r.cutn());
        }
        if (seedRule == SeedRule.SHARED && r.seed() != seed) {
            return Optional.of("seed: every entry uses seed " + seed + ", the image used " + r.seed());
        }
        if (r.initImage() != null || !r.targetImages().isEmpty() || !r.noisePrompts().isEmpty()) {
            return Optional.of("text only: contest entries start from noise with text prompts; the image used an "
                    + "init image, image prompt or noise prompt");
        }
        return Optional.empty();
    }

    /** One line for announcements. */
    public String describe() {
        return vqgan + " · " + size() + " · " + iterations + " steps · " + cutn + " cutouts · "
                + (seedRule == SeedRule.SHARED ? "seed " + seed + " for everyone" : "a random seed per entry");
    }
}
