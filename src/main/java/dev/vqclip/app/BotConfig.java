package dev.vqclip.app;

import java.util.ArrayList;
import java.util.List;

/**
 * What the chat adapters render when a user asks for nothing in particular.
 *
 * @param vqgan      the default VQGAN
 * @param models     the VQGANs users may pick; always starts with {@code vqgan}
 * @param clip       the CLIP model, whose tokenizer also bounds prompt length
 * @param iterations optimizer steps when a user asks for none
 */
public record BotConfig(String vqgan, List<String> models, String clip, int width, int height, int iterations) {
    public BotConfig {
        if (vqgan == null || vqgan.isBlank() || clip == null || clip.isBlank()) {
            throw new IllegalArgumentException("--bot-vqgan and --bot-clip must name models, got '" + vqgan + "' and '"
                    + clip + "'");
        }
        List<String> offered = new ArrayList<>(List.of(vqgan));
        (models == null ? List.<String>of() : models).stream().filter(m -> !offered.contains(m)).forEach(offered::add);
        models = List.copyOf(offered);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("--bot-size must be at least 1x1, got " + width + "x" + height);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--bot-iterations must be at least 1, got " + iterations);
        }
    }

    /** @param size WxH, e.g. 256x256 */
    public static BotConfig of(String vqgan, List<String> models, String clip, String size, int iterations) {
        if (size == null || !size.matches("\\d{1,4}x\\d{1,4}")) {
            throw new IllegalArgumentException("--bot-size must look like 256x256, got '" + size + "'");
        }
        int x = size.indexOf('x');
        return new BotConfig(vqgan, models, clip, Integer.parseInt(size.substring(0, x)),
                Integer.parseInt(size.substring(x + 1)), iterations);
    }

    /** The adapters' defaults and bounds: the standard ones, widened to admit this size and step count. */
    public BotDefaults defaults() {
        BotDefaults s = BotDefaults.standard(models);
        return new BotDefaults(vqgan, clip, models, width, height, iterations, s.cutn(), s.cutPow(), s.cutMethod(),
                s.previewEvery(), Math.max(s.maxSide(), Math.max(width, height)), Math.max(s.maxIterations(), iterations));
    }
}
