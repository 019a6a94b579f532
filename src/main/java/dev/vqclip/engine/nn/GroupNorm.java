package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.GroupNorm(groups, C, affine=True)} on NCHW. DJL has no group-norm op, so each group is flattened to one
 * row and normalised by layerNorm with unit scale (reference/djl.md §6), then the per-channel affine is applied.
 */
public final class GroupNorm {
    private final int groups;
    private final float eps;
    private final NDArray weight; // [C, 1, 1]
    private final NDArray bias;   // [C, 1, 1]

    public GroupNorm(int groups, float eps, NDArray weight, NDArray bias) {
        long c = weight.getShape().get(0);
        if (c % groups != 0) {
            throw new IllegalArgumentException("group norm needs channels divisible by " + groups + " but has " + c);
        }
        this.groups = groups;
        this.eps = eps;
        this.weight = Params.keep(weight.reshape(c, 1, 1));
        this.bias = Params.keep(bias.reshape(c, 1, 1));
        weight.close();
        bias.close();
    }

    /** taming's {@code Normalize}: 32 groups, eps 1e-6. */
    public static GroupNorm taming(Params p, String prefix) {
        return new GroupNorm(32, 1e-6f, p.get(prefix + ".weight"), p.get(prefix + ".bias"));
    }

    /** [N, C, H, W] -> [N, C, H, W]. */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long groupSize = s.size() / (n * groups);
        Shape row = new Shape(groupSize);
        try (NDArray grouped = x.reshape(n, groups, groupSize); // [N, G, C/G·H·W]
             NDArray one = x.getManager().ones(row, x.getDataType());
             NDArray zero = x.getManager().zeros(row, x.getDataType());
             NDArray normed = grouped.getNDArrayInternal().layerNorm(grouped, row, one, zero, eps).singletonOrThrow();
             NDArray back = normed.reshape(s);
             NDArray scaled = back.mul(weight)) {
            return scaled.add(bias);
        }
    }
}
