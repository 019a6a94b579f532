package dev.vqclip.app;

import dev.vqclip.discord.ImageInput;
import dev.vqclip.job.JobService;
import dev.vqclip.job.RecipeBounds;
import dev.vqclip.prompt.PromptPolicy;
import java.util.List;

/**
 * What the Discord bot asks the job system for when a user gives no option, and the bounds of what a user may ask.
 *
 * @param vqgan         VQGAN model name (or file) used when the user picks none
 * @param clip          CLIP model name (or file)
 * @param models        the VQGAN names a user may pick (the /imagine choices); a model outside this list is refused,
 *                      so a user can never point the renderer at an arbitrary file
 * @param width         default width in pixels
 * @param height        default height; {@code width × height} is also the pixel budget an aspect ratio is fitted to
 * @param iterations    default optimizer steps
 * @param cutn          cutouts per step
 * @param cutPow        cutout size power
 * @param cutMethod     "original" or "latest"
 * @param previewEvery  a preview image every N steps (the card shows the newest)
 * @param maxSide       the largest width or height a user may ask for
 * @param maxIterations the most steps a user may ask for
 */
public record BotDefaults(String vqgan, String clip, List<String> models, int width, int height, int iterations,
                          int cutn, double cutPow, String cutMethod, int previewEvery, int maxSide, int maxIterations) {
    /** One VQGAN latent cell of an f16 model: the smallest side that still holds an image. */
    public static final int MIN_SIDE = 16;

    public BotDefaults {
        require(vqgan != null && !vqgan.isBlank(), "a default VQGAN model is required");
        require(clip != null && !clip.isBlank(), "a CLIP model is required");
        models = List.copyOf(models);
        require(models.contains(vqgan), "the default VQGAN " + vqgan + " must be one of the offered models " + models);
        require(maxSide >= MIN_SIDE, "max side must be >= " + MIN_SIDE + ", got " + maxSide);
        require(width >= MIN_SIDE && width <= maxSide && height >= MIN_SIDE && height <= maxSide,
                "default size must be within " + MIN_SIDE + ".." + maxSide + " per side, got " + width + "x" + height);
        require(maxIterations >= 1, "max iterations must be >= 1, got " + maxIterations);
        require(iterations >= 1 && iterations <= maxIterations,
                "default iterations must be in 1.." + maxIterations + ", got " + iterations);
        require(cutn >= 1, "cutn must be >= 1, got " + cutn);
        require(Double.isFinite(cutPow) && cutPow > 0, "cut_pow must be a positive number, got " + cutPow);
        require(previewEvery >= 1, "preview-every must be >= 1 (the card shows previews), got " + previewEvery);
    }

    /**
     * 256×256, 300 steps with 32 "latest" cutouts and a preview every 10 steps, at most 768 px per side and 1000
     * steps: a mid-range GPU answers in about a minute.
     */
    public static BotDefaults standard(List<String> models) {
        return new BotDefaults(models.isEmpty() ? "vqgan_imagenet_f16_16384" : models.get(0), "ViT-B/32",
                models.isEmpty() ? List.of("vqgan_imagenet_f16_16384") : models, 256, 256, 300, 32, 1.0, "latest", 10,
                768, 1000);
    }

    /**
     * The same bounds as what {@link JobService} re-checks for every bot submission, so an adapter that forgets a
     * check cannot queue more than a user may ask for here: the side and step limits, the prompt parser's counts and
     * lengths, and the largest attachment the bots accept.
     */
    public RecipeBounds recipeBounds() {
        return new RecipeBounds(maxSide, maxIterations, PromptPolicy.DEFAULT_MAX_PROMPTS, PromptPolicy.DEFAULT_MAX_CHARS,
                ImageInput.MAX_BYTES);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
