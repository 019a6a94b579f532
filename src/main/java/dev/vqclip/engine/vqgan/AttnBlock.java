package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Params;

/**
 * taming {@code AttnBlock}: single-head self-attention over all H·W positions with 1x1-conv q, k, v and proj_out,
 * scale C^-0.5, plus the residual. The three projections run as one 1x1 conv with stacked weights, and the scale is
 * folded into the q rows at load time.
 */
final class AttnBlock {
    private final GroupNorm norm;
    private final Conv2d qkv;      // [3C, C, 1, 1]: q (pre-scaled), k, v
    private final Conv2d projOut;

    AttnBlock(Params p, String prefix) {
        norm = GroupNorm.taming(p, prefix + ".norm");
        long c = p.shape(prefix + ".q.weight")[0];
        float scale = (float) Math.pow(c, -0.5);
        Conv2d q = Conv2d.same(p, prefix + ".q");
        Conv2d k = Conv2d.same(p, prefix + ".k");
        Conv2d v = Conv2d.same(p, prefix + ".v");
        try (NDArray qw = q.weight().mul(scale); NDArray qb = q.bias().mul(scale)) {
            qkv = new Conv2d(Params.keep(NDArrays.concat(new NDList(qw, k.weight(), v.weight()), 0)),
                    Params.keep(NDArrays.concat(new NDList(qb, k.bias(), v.bias()), 0)), 1, 0);
        }
        for (NDArray a : new NDArray[] {q.weight(), q.bias(), k.weight(), k.bias(), v.weight(), v.bias()}) {
            a.close();
        }
        projOut = Conv2d.same(p, prefix + ".proj_out");
    }

    /** [N, C, H, W] -> [N, C, H, W]. */
    NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long hw = s.get(2) * s.get(3);
        try (NDArray h = norm.forward(x);
             NDArray qkvOut = qkv.forward(h).reshape(n, 3, c, hw); // [N, 3, C, HW]
             NDArray qT = qkvOut.get(":, 0").transpose(0, 2, 1);   // [N, HW, C]
             NDArray k = qkvOut.get(":, 1");                       // [N, C, HW]
             NDArray v = qkvOut.get(":, 2");                       // [N, C, HW]
             NDArray scores = qT.batchMatMul(k);                   // [N, HW_q, HW_k], already · C^-0.5
             NDArray w = scores.softmax(2);
             NDArray wT = w.transpose(0, 2, 1);                    // [N, HW_k, HW_q]
             NDArray attended = v.batchMatMul(wT).reshape(s);      // [N, C, H, W]
             NDArray projected = projOut.forward(attended)) {
            return x.add(projected);
        }
    }
}
