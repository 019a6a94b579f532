package dev.vqclip.job;

import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.provenance.ProvenancePayload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The recipe of a finished render as the provenance payload hidden in its image (notebook keys + ours). */
public final class RecipePayloads {
    private RecipePayloads() {
    }

    /**
     * @param recipe      the recipe actually used (seed set, size floored)
     * @param modelHashes model name to sha256 of its weights file
     * @param jobId       the queue's job id, or null for a local render
     * @param version     the software version, e.g. "vqclip 0.1.0"
     */
    public static ProvenancePayload of(Recipe recipe, int iterationsRun, Map<String, String> modelHashes, Long jobId,
                                       String version) {
        List<ProvenancePayload.Prompt> prompts = new ArrayList<>();
        for (List<WeightedPrompt> phrase : recipe.prompts().phrases()) {
            for (WeightedPrompt p : phrase) {
                prompts.add(new ProvenancePayload.Prompt(p.text(), p.weight()));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("prompt", PromptFormat.format(recipe.prompts()));
        settings.put("change_every", recipe.prompts().changeEvery());
        settings.put("target_images", PromptFormat.formatImagePrompts(recipe.targetImages()));
        settings.put("noise_prompts", PromptFormat.formatNoisePrompts(recipe.noisePrompts()));
        settings.put("seed", recipe.seed());
        settings.put("cutn", recipe.cutn());
        settings.put("cut_pow", recipe.cutPow());
        settings.put("cut_method", recipe.cutMethod());
        settings.put("optimizer", recipe.optimizer());
        settings.put("lr", recipe.lr());
        settings.put("init_image", recipe.initImage());
        settings.put("init_noise", recipe.initNoise());
        settings.put("init_weight", recipe.initWeight());
        settings.put("save_every", recipe.saveEvery());
        return new ProvenancePayload(ProvenancePayload.titleOf(prompts), ProvenancePayload.NOTEBOOK, iterationsRun,
                recipe.vqgan(), Long.toString(recipe.seed()), recipe.initImage() != null || !recipe.targetImages().isEmpty(),
                prompts, recipe.width(), recipe.height(), recipe.iterations(), recipe.drawer(), recipe.clip(), modelHashes,
                jobId, version, settings);
    }
}
