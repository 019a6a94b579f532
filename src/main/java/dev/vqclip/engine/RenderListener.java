package dev.vqclip.engine;

import java.awt.image.BufferedImage;

/** Receives progress from a running render. Called on the render thread: keep it quick. */
public interface RenderListener {
    RenderListener NONE = new RenderListener() { };

    /** After every optimizer step. */
    default void onStep(StepEvent step) {
    }

    /** A preview of the current image, every N steps or T seconds (as configured by the renderer). */
    default void onPreview(int iteration, BufferedImage preview) {
    }
}
