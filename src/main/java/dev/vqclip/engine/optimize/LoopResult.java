package dev.vqclip.engine.optimize;

import dev.vqclip.engine.RenderResult;
import dev.vqclip.prompt.Recipe;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Map;

/** What a finished optimisation produced: the image of the final parameters and the loss of the last step. */
public record LoopResult(BufferedImage image, int iterations, double finalLoss, Duration elapsed) {

    /** The engine's result, with the recipe actually used and the models' hashes filled in by the caller. */
    public RenderResult toRenderResult(Recipe recipe, Map<String, String> modelHashes, String codeVersion) {
        return new RenderResult(image, recipe, modelHashes, iterations, finalLoss, elapsed, codeVersion);
    }
}
