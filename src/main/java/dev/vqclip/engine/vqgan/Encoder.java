package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * taming {@code Encoder} (model.py): conv_in; per level num_res_blocks ResnetBlocks (each followed by an AttnBlock at
 * the attention resolutions) and, except at the last level, a Downsample; mid block; norm_out, swish, conv_out.
 */
final class Encoder {
    private static final Shape PAD_RIGHT_BOTTOM = new Shape(0, 1, 0, 1);

    private final Conv2d convIn;
    private final List<Level> down = new ArrayList<>();
    private final MidBlock mid;
    private final GroupNorm normOut;
    private final Conv2d convOut;

    /** One {@code encoder.down.i}: blocks, their attentions (maybe none), and the stride-2 conv (null at the end). */
    private record Level(List<ResnetBlock> blocks, List<AttnBlock> attns, Conv2d downsample) {
    }

    Encoder(Params p, VqganConfig c) {
        convIn = Conv2d.same(p, "encoder.conv_in");
        int res = c.resolution();
        for (int level = 0; level < c.levels(); level++) {
            String prefix = "encoder.down." + level;
            List<ResnetBlock> blocks = new ArrayList<>();
            List<AttnBlock> attns = new ArrayList<>();
            for (int b = 0; b < c.numResBlocks(); b++) {
                blocks.add(new ResnetBlock(p, prefix + ".block." + b));
            }
            if (c.attnResolutions().contains(res)) {
                for (int b = 0; b < c.numResBlocks(); b++) {
                    attns.add(new AttnBlock(p, prefix + ".attn." + b));
                }
            }
            Conv2d downsample = null;
            if (level != c.levels() - 1) {
                downsample = Conv2d.load(p, prefix + ".downsample.conv", true, 2, 0, DataType.FLOAT32);
                res /= 2;
            }
            down.add(new Level(blocks, attns, downsample));
        }
        mid = new MidBlock(p, "encoder.mid");
        normOut = GroupNorm.taming(p, "encoder.norm_out");
        convOut = Conv2d.same(p, "encoder.conv_out");
    }

    /** [N, in_channels, H, W] -> [N, z_channels, H/f, W/f]. */
    NDArray forward(NDArray x) {
        NDArray h = convIn.forward(x);
        for (Level level : down) {
            for (int b = 0; b < level.blocks.size(); b++) {
                h = Ops.advance(h, level.blocks.get(b)::forward);
                if (!level.attns.isEmpty()) {
                    h = Ops.advance(h, level.attns.get(b)::forward);
                }
            }
            if (level.downsample != null) {
                // Downsample: zero pad right and bottom by one, then a 3x3 stride-2 conv without padding (taming)
                h = Ops.advance(h, t -> t.pad(PAD_RIGHT_BOTTOM, 0));
                h = Ops.advance(h, level.downsample::forward);
            }
        }
        h = Ops.advance(h, mid::forward);
        h = Ops.advance(h, normOut::forward);
        h = Ops.advance(h, Ops::swish);
        return Ops.advance(h, convOut::forward);
    }
}
