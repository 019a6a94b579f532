package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/**
 * taming {@code ResnetBlock} without timestep input: norm1 → swish → conv1 → norm2 → swish → (dropout 0) → conv2,
 * added to the input (through a 1x1 {@code nin_shortcut} when the width changes).
 *
 * <p>Autograd keeps about eight block-sized tensors for this block's backward, six of them for the two cheap
 * norm + swish steps (group norm's input, swish's input and sigmoid, times two). {@link #lean} keeps only what the
 * convolutions need and recomputes norm + swish during backward.
 */
final class ResnetBlock {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d ninShortcut; // null when in == out

    ResnetBlock(Params p, String prefix) {
        norm1 = GroupNorm.taming(p, prefix + ".norm1");
        conv1 = Conv2d.same(p, prefix + ".conv1");
        norm2 = GroupNorm.taming(p, prefix + ".norm2");
        conv2 = Conv2d.same(p, prefix + ".conv2");
        long out = p.shape(prefix + ".conv1.weight")[0];
        long in = p.shape(prefix + ".conv1.weight")[1];
        ninShortcut = in == out ? null : Conv2d.same(p, prefix + ".nin_shortcut");
    }

    /** [N, in, H, W] -> [N, out, H, W]. */
    NDArray forward(NDArray x) {
        NDArray h = normSwish1(x);
        h = Ops.advance(h, conv1::forward);
        h = Ops.advance(h, this::normSwish2);
        h = Ops.advance(h, conv2::forward);
        if (ninShortcut == null) {
            return Ops.advance(h, x::add);
        }
        try (NDArray skip = ninShortcut.forward(x)) {
            return Ops.advance(h, skip::add);
        }
    }

    /**
     * {@link #forward} for a hand-walked backward that keeps the block's input, the two convolutions' inputs and
     * conv1's output (norm2's input), and reruns each norm + swish from its kept input: the same gradient, for the
     * two norm + swish steps run twice.
     */
    StagePass lean(NDArray x) {
        NDManager owner = x.getManager();
        NDArray a = StagePass.recording(Ops.scoped(owner, () -> normSwish1(x))); // conv1's input
        NDArray c = Ops.scoped(owner, () -> conv1.forward(a));             // graph: a -> c
        NDArray cIn = c.stopGradient();
        NDArray d = StagePass.recording(Ops.scoped(owner, () -> normSwish2(cIn))); // conv2's input
        NDArray skipIn = ninShortcut == null ? null : StagePass.leaf(x);
        NDArray sum = Ops.scoped(owner, () -> {                                // graph: d (and skipIn) -> sum
            try (NDArray h = conv2.forward(d)) {
                if (skipIn == null) {
                    return h.add(x);
                }
                try (NDArray skip = ninShortcut.forward(skipIn)) {
                    return h.add(skip);
                }
            }
        });
        return new StagePass(sum.stopGradient(), gradOutput -> {
            NDArray gd = StagePass.graphBackward(sum, gradOutput, d);
            NDArray gSkip = skipIn == null ? gradOutput : skipIn.getGradient();
            NDArray gc2 = StagePass.rerunBackward(this::normSwish2, cIn, gd);
            NDArray ga = StagePass.graphBackward(c, gc2, a);
            NDArray gx = StagePass.rerunBackward(this::normSwish1, x, ga);
            NDArray gIn = gx.add(gSkip);
            for (NDArray t : new NDArray[] {sum, d, cIn, c, a, gd, gc2, ga, gx}) {
                t.close();
            }
            if (skipIn != null) {
                gSkip.close();
                skipIn.close();
            }
            return gIn;
        });
    }

    private NDArray normSwish1(NDArray x) {
        return Ops.advance(norm1.forward(x), Ops::swish);
    }

    private NDArray normSwish2(NDArray x) {
        return Ops.advance(norm2.forward(x), Ops::swish);
    }
}
