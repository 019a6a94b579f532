package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;

/**
 * How an optimizer step trades compute for peak memory. Neither choice changes the result beyond float rounding.
 *
 * @param clipBatch         cutouts per CLIP pass, 0 = all at once. Each pass is back-propagated before the next, so
 *                          only one pass's CLIP activations are alive; on the CPU groups of 8 are as fast as one pass
 * @param checkpointDecoder which VQGAN decoder stages are recomputed during backward instead of keeping their
 *                          activations: {@link DecoderCheckpoint#ALL} saves the most memory for one more decoder
 *                          forward per step, {@link DecoderCheckpoint#FULL_RESOLUTION} most of that for less time
 */
public record MemoryPlan(int clipBatch, DecoderCheckpoint checkpointDecoder) {
    public static final int DEFAULT_CLIP_BATCH = 8;

    /** Groups of 8 cutouts, decoder activations kept: the fast default. */
    public static final MemoryPlan DEFAULT = new MemoryPlan(DEFAULT_CLIP_BATCH, DecoderCheckpoint.NONE);

    public MemoryPlan {
        if (clipBatch < 0) {
            throw new IllegalArgumentException("clip batch (cutouts per CLIP pass) must be >= 0 (0 = all at once), got "
                    + clipBatch);
        }
        if (checkpointDecoder == null) {
            throw new IllegalArgumentException("decoder checkpointing must be given (DecoderCheckpoint.NONE for none)");
        }
    }
}
