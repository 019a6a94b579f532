package dev.vqclip.contest;

import dev.vqclip.prompt.PromptSet;
import dev.vqclip.prompt.Recipe;
import java.util.List;

/**
 * What the bot fixes for every contest besides its rules (the CLIP model and loop settings), and the bounds an
 * admin's rules must stay within: only offered models, at most {@code maxSide} pixels a side and
 * {@code maxIterations} steps, so a contest cannot ask for what the bot refuses to /imagine. {@code width},
 * {@code height}, {@code iterations} and {@code cutn} are what a contest renders when its admin names none.
 */
public record EntryTemplate(String clip, double cutPow, String cutMethod, int previewEvery, List<String> models,
                            int maxSide, int maxIterations, int width, int height, int iterations, int cutn) {
    public EntryTemplate {
        if (clip == null || clip.isBlank() || models == null || models.isEmpty()) {
            throw new IllegalArgumentException("an entry template needs a CLIP model and at least one VQGAN model");
        }
        models = List.copyOf(models);
        if (maxSide < 16 || maxIterations < 1 || previewEvery < 1) {
            throw new IllegalArgumentException("entry template bounds must be positive (max side >= 16), got side "
                    + maxSide + ", iterations " + maxIterations + ", preview every " + previewEvery);
        }
        check(new RenderRules(models.get(0), width, height, iterations, cutn, SeedRule.PER_ENTRY, 0), models, maxSide,
                maxIterations);
    }

    /** Refuses rules outside the bot's bounds, naming the bound. */
    public void check(RenderRules rules) {
        check(rules, models, maxSide, maxIterations);
    }

    private static void check(RenderRules rules, List<String> models, int maxSide, int maxIterations) {
        if (!models.contains(rules.vqgan())) {
            throw new ContestRefusal("model: there is no model '" + rules.vqgan() + "' here; pick one of " + models);
        }
        if (rules.width() < 16 || rules.height() < 16 || rules.width() > maxSide || rules.height() > maxSide) {
            throw new ContestRefusal("size: each side must be 16.." + maxSide + " pixels here, got " + rules.size());
        }
        if (rules.iterations() > maxIterations) {
            throw new ContestRefusal("iterations: at most " + maxIterations + " here, got " + rules.iterations());
        }
    }

    /** The recipe of one entry: the member's prompt under the contest's rules. */
    public Recipe recipe(RenderRules rules, PromptSet prompt, long seed) {
        return new Recipe(prompt.schedule(), List.of(), List.of(), seed, rules.width(), rules.height(),
                rules.iterations(), rules.cutn(), cutPow, cutMethod, 0.1, "adam", null, "none", 0, rules.vqgan(), clip,
                "vqgan", previewEvery);
    }
}
