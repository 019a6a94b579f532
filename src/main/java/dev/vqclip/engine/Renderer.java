package dev.vqclip.engine;

import dev.vqclip.prompt.Recipe;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Renders several jobs, returning one outcome per item in order; a job that fails or is cancelled does not stop
     * the others. This default runs them one after another; {@link EngineRenderer} runs batch-compatible recipes
     * ({@link EngineRenderer#batchCompatible}) in one optimizer pass per step.
     */
    default List<BatchOutcome> renderBatch(List<BatchItem> items) {
        List<BatchOutcome> out = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            try {
                out.add(new BatchOutcome.Rendered(render(item.recipe(), item.listener(), item.cancel())));
            } catch (CancelledException e) {
                out.add(new BatchOutcome.Cancelled(e.iteration()));
            } catch (RenderException e) {
                out.add(new BatchOutcome.Failed(e));
            }
        }
        return out;
    }

    @Override
    void close();
}
