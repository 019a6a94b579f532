package dev.vqclip.engine;

import dev.vqclip.prompt.Recipe;

/** One job of a batched render ({@link Renderer#renderBatch}): its recipe, progress listener and cancel token. */
public record BatchItem(Recipe recipe, RenderListener listener, CancellationToken cancel) {
    public BatchItem {
        if (recipe == null || cancel == null) {
            throw new IllegalArgumentException("a batch item needs a recipe and a cancellation token");
        }
        listener = listener == null ? RenderListener.NONE : listener;
    }
}
