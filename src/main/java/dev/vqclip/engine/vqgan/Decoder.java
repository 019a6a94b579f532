package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * taming {@code Decoder} (model.py): conv_in, mid block, then from the lowest level up num_res_blocks+1 ResnetBlocks
 * per level (each followed by an AttnBlock at the attention resolutions) and a nearest-x2 Upsample + conv except at
 * level 0; norm_out, swish, conv_out. No tanh: the output is nominally in [-1, 1].
 */
final class Decoder {
    private final Conv2d convIn;
    private final MidBlock mid;
    private final Level[] up; // indexed like decoder.up.{i}: 0 is the full-resolution level
    private final GroupNorm normOut;
    private final Conv2d convOut;
    private final List<DecodeStage> stages; // built once: a decode runs every optimizer step

    /** One {@code decoder.up.i}: blocks, their attentions (maybe none), and the upsample conv (null at level 0). */
    private record Level(List<ResnetBlock> blocks, List<AttnBlock> attns, Conv2d upsample) {
    }

    Decoder(Params p, VqganConfig c) {
        convIn = Conv2d.same(p, "decoder.conv_in");
        mid = new MidBlock(p, "decoder.mid");
        up = new Level[c.levels()];
        int res = c.resolution() >> (c.levels() - 1);
        for (int level = c.levels() - 1; level >= 0; level--) {
            String prefix = "decoder.up." + level;
            List<ResnetBlock> blocks = new ArrayList<>();
            List<AttnBlock> attns = new ArrayList<>();
            for (int b = 0; b <= c.numResBlocks(); b++) {
                blocks.add(new ResnetBlock(p, prefix + ".block." + b));
            }
            if (c.attnResolutions().contains(res)) {
                for (int b = 0; b <= c.numResBlocks(); b++) {
                    attns.add(new AttnBlock(p, prefix + ".attn." + b));
                }
            }
            Conv2d upsample = null;
            if (level != 0) {
                upsample = Conv2d.same(p, prefix + ".upsample.conv");
                res *= 2;
            }
            up[level] = new Level(blocks, attns, upsample);
        }
        normOut = GroupNorm.taming(p, "decoder.norm_out");
        convOut = Conv2d.same(p, "decoder.conv_out");
        stages = buildStages();
    }

    /** [N, z_channels, h, w] -> [N, out_ch, h·f, w·f]. */
    NDArray forward(NDArray z) {
        return Stages.chain(stages, z);
    }

    /**
     * The decoder as a chain of stages, in order: conv_in + mid, then per level (lowest first) each ResnetBlock with
     * its AttnBlock, then the upsample; last norm_out + swish + conv_out. Each stage leaves its input open.
     */
    List<DecodeStage> stages() {
        return stages;
    }

    private List<DecodeStage> buildStages() {
        List<DecodeStage> stages = new ArrayList<>();
        stages.add(new DecodeStage("conv_in+mid", z -> Ops.advance(convIn.forward(z), mid::forward)));
        for (int level = up.length - 1; level >= 0; level--) {
            Level l = up[level];
            for (int b = 0; b < l.blocks.size(); b++) {
                ResnetBlock block = l.blocks.get(b);
                AttnBlock attn = l.attns.isEmpty() ? null : l.attns.get(b);
                String name = "up." + level + ".block." + b;
                stages.add(attn == null ? new DecodeStage(name, block::forward, block::lean)
                        : new DecodeStage(name + "+attn", x -> Ops.advance(block.forward(x), attn::forward)));
            }
            if (l.upsample != null) {
                Conv2d conv = l.upsample;
                stages.add(new DecodeStage("up." + level + ".upsample", x -> Ops.advance(nearestTimesTwo(x), conv::forward)));
            }
        }
        UnaryOperator<NDArray> normSwish = x -> Ops.advance(normOut.forward(x), Ops::swish);
        stages.add(new DecodeStage("norm_out+conv_out", x -> Ops.advance(normSwish.apply(x), convOut::forward),
                x -> StagePass.recomputeThenKeep(normSwish, convOut::forward, x)));
        return List.copyOf(stages);
    }

    /** {@code F.interpolate(x, scale_factor=2.0, mode="nearest")}: [N, C, H, W] -> [N, C, 2H, 2W]. */
    private static NDArray nearestTimesTwo(NDArray x) {
        long[] s = x.getShape().getShape();
        long[] size = Arrays.copyOfRange(s, 2, 4);
        size[0] *= 2;
        size[1] *= 2;
        return x.getNDArrayInternal().interpolation(size, 0, false);
    }
}
