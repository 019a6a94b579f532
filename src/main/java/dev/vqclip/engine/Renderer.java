package dev.vqclip.engine;

import dev.vqclip.prompt.Recipe;

/**
 * The engine's public surface: turns a recipe into an image. Implementations keep their models loaded between
 * calls; one renderer serves one worker thread.
 */
public interface Renderer extends AutoCloseable {

    /**
     * Runs the optimizer for {@code recipe}. Returns the final image; throws {@link CancelledException} when
     * {@code cancel} was triggered (checked once per optimizer step) and {@link RenderException} with a
     * user-facing reason when the job cannot be rendered.
     */
    RenderResult render(Recipe recipe, RenderListener listener, CancellationToken cancel);

    @Override
    void close();
}
