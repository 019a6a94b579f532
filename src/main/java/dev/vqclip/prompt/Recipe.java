package dev.vqclip.prompt;

import java.util.List;
import java.util.Locale;

/**
 * Everything that determines an image: prompts, seed, geometry, loop settings and model names. Immutable and
 * validated, so every layer (CLI, scheduler, bots, provenance) can trust it.
 *
 * @param initImage   path of an init image, or null
 * @param initNoise   "none", "pixels" or "gradient" (ignored when initImage is set)
 * @param cutMethod   "original" (KC random crops + Lanczos/bicubic) or "latest" (NR pooled + augmentations)
 * @param optimizer   "adam" or "adamw"
 * @param drawer      "vqgan" or "pixel"
 * @param saveEvery   write/preview every N iterations; 0 = never
 */
public record Recipe(
        PromptSchedule prompts,
        List<ImagePrompt> targetImages,
        List<NoisePrompt> noisePrompts,
        long seed,
        int width,
        int height,
        int iterations,
        int cutn,
        double cutPow,
        String cutMethod,
        double lr,
        String optimizer,
        String initImage,
        String initNoise,
        double initWeight,
        String vqgan,
        String clip,
        String drawer,
        int saveEvery) {

    public static final int MAX_SIDE = 2048;
    public static final int MAX_ITERATIONS = 100_000;
    public static final int MAX_CUTN = 256;

    public Recipe {
        if (prompts == null) {
            throw new IllegalArgumentException("prompts are required");
        }
        targetImages = targetImages == null ? List.of() : List.copyOf(targetImages);
        noisePrompts = noisePrompts == null ? List.of() : List.copyOf(noisePrompts);
        require(width >= 1 && width <= MAX_SIDE, "width must be in 1.." + MAX_SIDE + ", got " + width);
        require(height >= 1 && height <= MAX_SIDE, "height must be in 1.." + MAX_SIDE + ", got " + height);
        require(iterations >= 0 && iterations <= MAX_ITERATIONS, "iterations must be in 0.." + MAX_ITERATIONS + ", got " + iterations);
        require(cutn >= 1 && cutn <= MAX_CUTN, "cutn must be in 1.." + MAX_CUTN + ", got " + cutn);
        require(Double.isFinite(cutPow) && cutPow > 0, "cut_pow must be a positive number, got " + cutPow);
        cutMethod = lower(cutMethod, "latest");
        require(cutMethod.equals("original") || cutMethod.equals("latest"), "cut method must be 'original' or 'latest', got '" + cutMethod + "'");
        require(Double.isFinite(lr) && lr > 0 && lr <= 10, "learning rate must be in (0, 10], got " + lr);
        optimizer = lower(optimizer, "adam");
        require(optimizer.equals("adam") || optimizer.equals("adamw"), "optimizer must be 'adam' or 'adamw', got '" + optimizer + "'");
        initNoise = lower(initNoise, "none");
        require(initNoise.equals("none") || initNoise.equals("pixels") || initNoise.equals("gradient"),
                "init noise must be 'none', 'pixels' or 'gradient', got '" + initNoise + "'");
        require(Double.isFinite(initWeight) && initWeight >= 0, "init weight must be a number >= 0, got " + initWeight);
        require(vqgan != null && !vqgan.isBlank(), "a VQGAN model name or path is required");
        require(clip != null && !clip.isBlank(), "a CLIP model name or path is required");
        drawer = lower(drawer, "vqgan");
        require(saveEvery >= 0, "save-every must be >= 0, got " + saveEvery);
    }

    /** The defaults of nerdyrodent's generate.py (cutn 32, cut_pow 1, Adam lr 0.1, 500 iterations) at 256x256. */
    public static Recipe defaults(PromptSchedule prompts, long seed) {
        return new Recipe(prompts, List.of(), List.of(), seed, 256, 256, 500, 32, 1.0, "latest", 0.1, "adam",
                null, "none", 0.0, "vqgan_imagenet_f16_16384", "ViT-B/32", "vqgan", 50);
    }

    /**
     * A model as users may see it: a catalog name ("ViT-B/32") as is, a weights file given by path by its file name
     * only (a server's paths say nothing useful to users, and are not theirs to know).
     */
    public static String modelLabel(String model) {
        boolean path = model.startsWith("/") || model.startsWith(".") || model.matches("(?i)[a-z]:\\\\.*")
                || model.matches("(?i).*\\.(safetensors|ckpt|pt|pth|bin)$");
        int slash = Math.max(model.lastIndexOf('/'), model.lastIndexOf('\\'));
        return path && slash >= 0 ? model.substring(slash + 1) : model;
    }

    public Recipe withSeed(long newSeed) {
        return new Recipe(prompts, targetImages, noisePrompts, newSeed, width, height, iterations, cutn, cutPow, cutMethod,
                lr, optimizer, initImage, initNoise, initWeight, vqgan, clip, drawer, saveEvery);
    }

    public Recipe withSize(int w, int h) {
        return new Recipe(prompts, targetImages, noisePrompts, seed, w, h, iterations, cutn, cutPow, cutMethod,
                lr, optimizer, initImage, initNoise, initWeight, vqgan, clip, drawer, saveEvery);
    }

    public Recipe withModels(String newVqgan, String newClip) {
        return new Recipe(prompts, targetImages, noisePrompts, seed, width, height, iterations, cutn, cutPow, cutMethod,
                lr, optimizer, initImage, initNoise, initWeight, newVqgan, newClip, drawer, saveEvery);
    }

    private static String lower(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.trim().toLowerCase(Locale.ROOT);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
