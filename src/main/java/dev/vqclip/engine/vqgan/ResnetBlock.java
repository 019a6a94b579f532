package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/**
 * taming {@code ResnetBlock} without timestep input: norm1 → swish → conv1 → norm2 → swish → (dropout 0) → conv2,
 * added to the input (through a 1x1 {@code nin_shortcut} when the width changes).
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
        NDArray h = norm1.forward(x);
        h = Ops.advance(h, Ops::swish);
        h = Ops.advance(h, conv1::forward);
        h = Ops.advance(h, norm2::forward);
        h = Ops.advance(h, Ops::swish);
        h = Ops.advance(h, conv2::forward);
        if (ninShortcut == null) {
            return Ops.advance(h, x::add);
        }
        try (NDArray skip = ninShortcut.forward(x)) {
            return Ops.advance(h, skip::add);
        }
    }
}
