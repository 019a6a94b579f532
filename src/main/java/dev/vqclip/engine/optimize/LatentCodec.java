package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.vqgan.DecoderCheckpoint;

/** What the {@link VqganDrawer} needs from a VQGAN. */
public interface LatentCodec {

    /** {@code [n_embed, embed_dim]}. */
    NDArray codebook();

    /** Spatial downsampling factor of the decoder (16 for the f16 models). */
    int factor();

    /** Image {@code [1, 3, H, W]} in [-1, 1] to the pre-quantisation latent {@code [1, E, H/f, W/f]}. */
    NDArray encode(NDArray image);

    /** Latent {@code [1, E, h, w]} to an image {@code [1, 3, h·f, w·f]} in about [-1, 1], differentiably. */
    NDArray decode(NDArray latent);

    /**
     * {@link #decode} with gradient checkpointing of the stages {@code which} names, where the codec has it: the image
     * ({@code [1, 3, h·f, w·f]}, possibly detached) and how its gradient reaches {@code latent}. By default the plain
     * differentiable decode.
     */
    default Rendering decodeCheckpointed(NDArray latent, DecoderCheckpoint which) {
        return Rendering.attached(decode(latent));
    }
}
