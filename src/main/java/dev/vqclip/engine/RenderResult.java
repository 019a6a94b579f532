package dev.vqclip.engine;

import dev.vqclip.prompt.Recipe;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Map;

/**
 * The final image and the recipe actually used (seed filled in, size floored to the model's factor), with the
 * models' content hashes, the iterations run, the measured time and the code version.
 */
public record RenderResult(BufferedImage image, Recipe recipe, Map<String, String> modelHashes, int iterations,
                           double finalLoss, Duration elapsed, String codeVersion) {
    public RenderResult {
        modelHashes = Map.copyOf(modelHashes);
    }
}
