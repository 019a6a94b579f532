package dev.vqclip.engine.optimize;

/**
 * How an optimizer step trades compute for peak memory. Neither choice changes the result beyond float rounding.
 *
 * @param clipBatch         cutouts per CLIP pass, 0 = all at once. Each pass is back-propagated before the next, so
 *                          only one pass's CLIP activations are alive; on the CPU groups of 8 are as fast as one pass
 * @param checkpointDecoder recompute the VQGAN decoder stage by stage during backward instead of keeping its
 *                          activations: about 1.3 GiB less peak at 256×256, for one more decoder forward per step
 */
public record MemoryPlan(int clipBatch, boolean checkpointDecoder) {
    public static final int DEFAULT_CLIP_BATCH = 8;

    /** Groups of 8 cutouts, decoder activations kept: the fast default. */
    public static final MemoryPlan DEFAULT = new MemoryPlan(DEFAULT_CLIP_BATCH, false);

    public MemoryPlan {
        if (clipBatch < 0) {
            throw new IllegalArgumentException("clip batch (cutouts per CLIP pass) must be >= 0 (0 = all at once), got "
                    + clipBatch);
        }
    }
}
