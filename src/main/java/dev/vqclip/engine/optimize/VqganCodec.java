package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.vqgan.CheckpointedDecode;
import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import dev.vqclip.engine.vqgan.Vqgan;

/** A taming VQGAN as the vqgan drawer's {@link LatentCodec}. Does not own the model. */
public record VqganCodec(Vqgan vqgan) implements LatentCodec {

    @Override
    public NDArray codebook() {
        return vqgan.codebook();
    }

    @Override
    public int factor() {
        return vqgan.factor();
    }

    @Override
    public NDArray encode(NDArray image) {
        return vqgan.encode(image);
    }

    @Override
    public NDArray decode(NDArray latent) {
        return vqgan.decode(latent);
    }

    /** The backward recomputes the stages {@code which} names one by one instead of keeping their activations. */
    @Override
    public Rendering decodeCheckpointed(NDArray latent, DecoderCheckpoint which) {
        CheckpointedDecode decode = vqgan.decodeCheckpointed(latent, which);
        return Rendering.of(decode.output(), decode::surrogate);
    }
}
