package dev.vqclip.job;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.prompt.Recipe;

/**
 * Jobs that may share one optimizer pass have equal keys: the engine's key (same models, drawer, size, cutouts and
 * loop length; scheduler.md §5), shortened to fit the column when model paths are long.
 */
final class BatchKeys {
    private BatchKeys() {
    }

    static String of(Recipe r) {
        String key = EngineRenderer.batchKey(r);
        return key.length() <= 200 ? key : Integer.toHexString(key.hashCode()) + "|" + key.substring(key.length() - 180);
    }
}
