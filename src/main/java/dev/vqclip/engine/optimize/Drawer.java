package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import ai.djl.ndarray.NDArray;

/**
 * What the optimizer changes and how it becomes an image: the VQGAN latent ({@link VqganDrawer}) or a coarse
 * colour grid ({@link PixelDrawer}). A drawer owns its parameter tensor; close it to free it.
 */
public interface Drawer extends AutoCloseable {

    /** The name a recipe uses for this drawer. */
    String name();

    int width();

    int height();

    /** The leaf tensor the optimizer updates in place (gradient enabled). */
    NDArray parameters();

    /** The image of the current parameters, {@code [1, 3, H, W]} on the [0, 1] scale before clamping. */
    NDArray render();

    /**
     * {@link #render()} for a step that trades compute for memory ({@link MemoryPlan#checkpointDecoder()}): the vqgan
     * drawer recomputes the decoder stages {@code which} names during backward. By default the plain render, kept in
     * the graph.
     */
    default Rendering renderCheckpointed(DecoderCheckpoint which) {
        return Rendering.attached(render());
    }

    /** Called after every optimizer update, outside the gradient collector (e.g. to clamp the parameters). */
    void afterStep();

    @Override
    void close();
}
