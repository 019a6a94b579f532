package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;

/**
 * How an optimizer step trades compute for peak memory. Neither choice changes the result beyond float rounding.
 *
 * @param clipBatch         cutouts per CLIP pass, 0 = all at once. Each pass is back-propagated before the next, so
 *                          only one pass's CLIP activations are alive; on the CPU groups of 8 are at least as fast as one pass
 * @param checkpointDecoder what the VQGAN decoder recomputes during backward instead of keeping:
 *                          {@link DecoderCheckpoint#NORMS} its cheap group norms and swishes, {@link DecoderCheckpoint#ALL}
 *                          every stage (the most memory saved, for one more decoder forward per step)
 */
public record MemoryPlan(int clipBatch, DecoderCheckpoint checkpointDecoder) {
    public static final int DEFAULT_CLIP_BATCH = 8;

    /**
     * Groups of 8 cutouts, decoder norms and swishes recomputed: at 256x256/32 on two cores, a sixth less peak memory
     * than keeping every activation, at the same speed.
     */
    public static final MemoryPlan DEFAULT = new MemoryPlan(DEFAULT_CLIP_BATCH, DecoderCheckpoint.NORMS);

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
