package dev.vqclip.job;

import dev.vqclip.prompt.Recipe;

/**
 * Jobs that may share one optimizer pass have equal keys: the same models, drawer, size, cutouts and loop length
 * (scheduler.md §5). Prompts, seeds and weights may differ: each job keeps its own loss and Adam state.
 */
public final class BatchKeys {
    private BatchKeys() {
    }

    public static String of(Recipe r) {
        String key = r.vqgan() + "|" + r.clip() + "|" + r.drawer() + "|" + r.width() + "x" + r.height() + "|" + r.cutn()
                + "|" + r.cutMethod() + "|" + r.iterations() + "|" + r.optimizer() + "|" + r.lr();
        return key.length() <= 200 ? key : Integer.toHexString(key.hashCode()) + "|" + key.substring(key.length() - 180);
    }
}
