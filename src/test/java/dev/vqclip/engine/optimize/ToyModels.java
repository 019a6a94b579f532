package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Small stand-ins for CLIP and the VQGAN, so the loop can be tested without model weights. */
final class ToyModels {
    private ToyModels() {
    }

    static float[] uniform(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return out;
    }

    /** A fixed random linear map from pixels to a D-dimensional embedding. */
    static ImageEncoder linearEncoder(NDManager m, int side, int dim, long seed) {
        int in = 3 * side * side;
        NDArray w = m.create(uniform(in * dim, seed, -1, 1), new Shape(in, dim)).div((float) Math.sqrt(in));
        return x -> x.reshape(x.getShape().get(0), in).matMul(w);
    }

    /** A codec whose decoder maps each latent vector linearly to a colour and repeats it over an f×f block. */
    static LatentCodec blockCodec(NDManager m, int nEmbed, int embedDim, int factor, long seed) {
        NDArray codebook = m.create(uniform(nEmbed * embedDim, seed, -1, 1), new Shape(nEmbed, embedDim));
        NDArray toRgb = m.create(uniform(3 * embedDim, seed + 1, -1, 1), new Shape(3, embedDim));
        return new LatentCodec() {
            @Override
            public NDArray codebook() {
                return codebook;
            }

            @Override
            public int factor() {
                return factor;
            }

            @Override
            public NDArray encode(NDArray image) {
                // average each block and lift the colour with the transposed map
                Shape s = image.getShape();
                long h = s.get(2) / factor;
                long w = s.get(3) / factor;
                NDArray pooled = image.reshape(1, 3, h, factor, w, factor).mean(new int[] {5}).mean(new int[] {3});
                return toRgb.transpose().matMul(pooled.reshape(3, h * w)).reshape(1, embedDim, h, w);
            }

            @Override
            public NDArray decode(NDArray latent) {
                Shape s = latent.getShape();
                NDArray rgb = toRgb.matMul(latent.reshape(embedDim, s.get(2) * s.get(3)))
                        .reshape(1, 3, s.get(2), s.get(3)).tanh();
                return rgb.repeat(2, factor).repeat(3, factor);
            }
        };
    }
}
