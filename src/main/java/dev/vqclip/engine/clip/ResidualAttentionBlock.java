package dev.vqclip.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.LayerNorm;
import dev.vqclip.engine.nn.Linear;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/**
 * CLIP {@code ResidualAttentionBlock} (pre-LN): {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))} with
 * mlp = c_fc → QuickGELU → c_proj. The attention is {@code nn.MultiheadAttention} with packed {@code in_proj}
 * rows in q, k, v order; the q scale head_dim^-0.5 is folded into the q rows at load time.
 */
final class ResidualAttentionBlock {
    private final int heads;
    private final LayerNorm ln1;
    private final Linear inProj;  // [3W, W], q rows pre-scaled
    private final Linear outProj;
    private final LayerNorm ln2;
    private final Linear cFc;
    private final Linear cProj;

    ResidualAttentionBlock(Params p, String prefix, int heads, DataType type) {
        this.heads = heads;
        ln1 = LayerNorm.clip(p, prefix + ".ln_1");
        long width = p.shape(prefix + ".attn.out_proj.weight")[0];
        float scale = (float) Math.pow(width / heads, -0.5);
        try (NDArray w = p.get(prefix + ".attn.in_proj_weight"); NDArray b = p.get(prefix + ".attn.in_proj_bias")) {
            inProj = new Linear(scaleQueryRows(w, width, scale, type), scaleQueryRows(b, width, scale, type));
        }
        outProj = Linear.load(p, prefix + ".attn.out_proj", type);
        ln2 = LayerNorm.clip(p, prefix + ".ln_2");
        cFc = Linear.load(p, prefix + ".mlp.c_fc", type);
        cProj = Linear.load(p, prefix + ".mlp.c_proj", type);
    }

    /** Multiplies the first {@code width} rows (q) by {@code scale}, in float32 before any cast to {@code type}. */
    private static NDArray scaleQueryRows(NDArray packed, long width, float scale, DataType type) {
        try (NDArray q = packed.get("0:" + width).mul(scale);
             NDArray kv = packed.get(width + ":");
             NDArray joined = NDArrays.concat(new NDList(q, kv), 0)) {
            return Params.keep(joined.toType(type, true));
        }
    }

    /** [N, L, W] -> [N, L, W]; {@code mask} [L, L] is added to the attention scores (null: none). */
    NDArray forward(NDArray x, NDArray mask) {
        return mlp(attend(x, mask));
    }

    /**
     * {@link #forward} for the first token only, [N, L, W] -> [N, 1, W]: every token is attended to, but the MLP, which
     * works token by token, runs on the first one alone. The vision tower reads nothing else from its last block, so
     * this skips 49/50 of that block's MLP (about 5% of the tower's work) and gives the same values.
     */
    NDArray forwardFirstToken(NDArray x, NDArray mask) {
        try (NDArray all = attend(x, mask)) {
            return mlp(all.get(":, 0:1, :"));
        }
    }

    /** {@code x + attn(ln_1(x))}. */
    private NDArray attend(NDArray x, NDArray mask) {
        NDArray attended;
        try (NDArray h = ln1.forward(x)) {
            attended = attention(h, mask);
        }
        return Ops.advance(attended, x::add);
    }

    /** {@code y + mlp(ln_2(y))}; closes {@code y}. */
    private NDArray mlp(NDArray y) {
        NDArray mlp = ln2.forward(y);
        mlp = Ops.advance(mlp, cFc::forward);
        mlp = Ops.advance(mlp, Ops::quickGelu);
        mlp = Ops.advance(mlp, cProj::forward);
        try (NDArray m = mlp) {
            return Ops.advance(y, t -> t.add(m));
        }
    }

    /** Intermediates here are small ([N, H, L, L] with L = 50 or 77) and are freed by the caller's scope. */
    private NDArray attention(NDArray x, NDArray mask) {
        Shape s = x.getShape();
        long n = s.get(0);
        long len = s.get(1);
        long width = s.get(2);
        NDArray qkv = inProj.forward(x).reshape(n, len, 3, heads, width / heads).transpose(2, 0, 3, 1, 4); // [3, N, H, L, d]
        NDArray scores = qkv.get(0).matMul(qkv.get(1).transpose(0, 1, 3, 2)); // [N, H, L, L], already · d^-0.5
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray perHead = scores.softmax(-1).matMul(qkv.get(2));              // [N, H, L, d]
        return outProj.forward(perHead.transpose(0, 2, 1, 3).reshape(n, len, width)); // [N, L, W]
    }
}
