package dev.vqclip.engine.vqgan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every state_dict key of a taming VQModel (encoder, decoder, quantize, quant_conv, post_quant_conv; no loss module)
 * with its shape, in upstream order, derived from the config exactly as taming's {@code Encoder}/{@code Decoder}
 * constructors lay out their modules.
 */
final class VqganShapes {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private VqganShapes() {
    }

    static Map<String, long[]> of(VqganConfig c) {
        VqganShapes s = new VqganShapes();
        s.encoder(c);
        s.decoder(c);
        if (c.gumbel()) {
            // taming GumbelQuantize(num_hiddens=z_channels, embedding_dim, n_embed): 1x1 proj to logits, then embed
            s.put("quantize.proj.weight", c.nEmbed(), c.zChannels(), 1, 1);
            s.put("quantize.proj.bias", c.nEmbed());
            s.put("quantize.embed.weight", c.nEmbed(), c.embedDim());
        } else {
            s.put("quantize.embedding.weight", c.nEmbed(), c.embedDim());
        }
        s.conv("quant_conv", c.embedDim(), c.zChannels(), 1);
        s.conv("post_quant_conv", c.zChannels(), c.embedDim(), 1);
        return s.shapes;
    }

    private void encoder(VqganConfig c) {
        conv("encoder.conv_in", c.ch(), c.inChannels(), 3);
        int res = c.resolution();
        int blockIn = c.ch();
        for (int level = 0; level < c.levels(); level++) {
            int blockOut = c.ch() * c.chMult().get(level);
            String p = "encoder.down." + level;
            for (int b = 0; b < c.numResBlocks(); b++) {
                resnet(p + ".block." + b, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (c.attnResolutions().contains(res)) {
                for (int b = 0; b < c.numResBlocks(); b++) {
                    attn(p + ".attn." + b, blockIn);
                }
            }
            if (level != c.levels() - 1) {
                conv(p + ".downsample.conv", blockIn, blockIn, 3);
                res /= 2;
            }
        }
        mid("encoder.mid", blockIn);
        norm("encoder.norm_out", blockIn);
        conv("encoder.conv_out", c.zChannels(), blockIn, 3);
    }

    private void decoder(VqganConfig c) {
        int blockIn = c.ch() * c.chMult().get(c.levels() - 1);
        conv("decoder.conv_in", blockIn, c.zChannels(), 3);
        mid("decoder.mid", blockIn);
        // up.{level} is indexed by resolution level (0 = full resolution) but built from the lowest level up, so the
        // input width of each level depends on the level below; collect per level, then emit in index order.
        Map<Integer, Map<String, long[]>> levels = new LinkedHashMap<>();
        int res = c.resolution() >> (c.levels() - 1);
        for (int level = c.levels() - 1; level >= 0; level--) {
            VqganShapes l = new VqganShapes();
            int blockOut = c.ch() * c.chMult().get(level);
            String p = "decoder.up." + level;
            for (int b = 0; b <= c.numResBlocks(); b++) {
                l.resnet(p + ".block." + b, blockIn, blockOut);
                blockIn = blockOut;
            }
            if (c.attnResolutions().contains(res)) {
                for (int b = 0; b <= c.numResBlocks(); b++) {
                    l.attn(p + ".attn." + b, blockIn);
                }
            }
            if (level != 0) {
                l.conv(p + ".upsample.conv", blockIn, blockIn, 3);
                res *= 2;
            }
            levels.put(level, l.shapes);
        }
        for (int level = 0; level < c.levels(); level++) {
            shapes.putAll(levels.get(level));
        }
        norm("decoder.norm_out", blockIn);
        conv("decoder.conv_out", c.outCh(), blockIn, 3);
    }

    private void mid(String p, int c) {
        resnet(p + ".block_1", c, c);
        attn(p + ".attn_1", c);
        resnet(p + ".block_2", c, c);
    }

    private void resnet(String p, int in, int out) {
        norm(p + ".norm1", in);
        conv(p + ".conv1", out, in, 3);
        norm(p + ".norm2", out);
        conv(p + ".conv2", out, out, 3);
        if (in != out) {
            conv(p + ".nin_shortcut", out, in, 1);
        }
    }

    private void attn(String p, int c) {
        norm(p + ".norm", c);
        for (String name : new String[] {"q", "k", "v", "proj_out"}) {
            conv(p + "." + name, c, c, 1);
        }
    }

    private void norm(String p, int c) {
        put(p + ".weight", c);
        put(p + ".bias", c);
    }

    private void conv(String p, int out, int in, int k) {
        put(p + ".weight", out, in, k, k);
        put(p + ".bias", out);
    }

    private void put(String key, long... shape) {
        shapes.put(key, shape);
    }
}
