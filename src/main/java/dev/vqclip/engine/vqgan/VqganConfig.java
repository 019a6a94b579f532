package dev.vqclip.engine.vqgan;

import java.util.List;

/**
 * A taming-transformers VQGAN: the {@code ddconfig} of its Encoder/Decoder plus the quantizer size.
 * {@code gumbel} marks the Gumbel f8 variant ({@code quantize.embed.weight} + {@code quantize.proj}).
 */
public record VqganConfig(int ch, List<Integer> chMult, int numResBlocks, List<Integer> attnResolutions,
                          int zChannels, int resolution, int inChannels, int outCh, int embedDim, int nEmbed,
                          boolean gumbel) {

    public VqganConfig {
        chMult = List.copyOf(chMult);
        attnResolutions = List.copyOf(attnResolutions);
        if (ch <= 0 || chMult.isEmpty() || numResBlocks <= 0 || zChannels <= 0 || resolution <= 0
                || inChannels <= 0 || outCh <= 0 || embedDim <= 0 || nEmbed <= 0) {
            throw new IllegalArgumentException("invalid VQGAN config (every size must be positive): ch=" + ch + ", ch_mult="
                    + chMult + ", num_res_blocks=" + numResBlocks + ", attn_resolutions=" + attnResolutions + ", z_channels="
                    + zChannels + ", resolution=" + resolution + ", in_channels=" + inChannels + ", out_ch=" + outCh
                    + ", embed_dim=" + embedDim + ", n_embed=" + nEmbed);
        }
        // Far above every published VQGAN (ch 128, 5 levels, 2 res blocks, 16384 codes), far below what would
        // exhaust memory while the expected shapes are listed or the model is built.
        atMost("ch", ch, 1024);
        atMost("len(ch_mult)", chMult.size(), 8);
        atMost("num_res_blocks", numResBlocks, 16);
        atMost("len(attn_resolutions)", attnResolutions.size(), 16);
        atMost("z_channels", zChannels, 4096);
        atMost("resolution", resolution, 4096);
        atMost("in_channels", inChannels, 16);
        atMost("out_ch", outCh, 16);
        atMost("embed_dim", embedDim, 4096);
        atMost("n_embed", nEmbed, 1 << 20);
        for (int m : chMult) {
            atMost("ch_mult entry", m, 16);
            if (m <= 0 || (ch * m) % 32 != 0) {
                throw new IllegalArgumentException("every ch*ch_mult must be a positive multiple of 32 (GroupNorm(32)); "
                        + "ch=" + ch + " ch_mult=" + chMult);
            }
        }
    }

    /** Spatial downsampling factor f = 2^(len(ch_mult)-1): 16 for the f16 models, 8 for Gumbel f8. */
    public int factor() {
        return 1 << (chMult.size() - 1);
    }

    /** Number of resolution levels, len(ch_mult). */
    public int levels() {
        return chMult.size();
    }

    private static void atMost(String field, int value, int limit) {
        if (value > limit) {
            throw new IllegalArgumentException("VQGAN config " + field + " = " + value + " is above the limit of " + limit);
        }
    }
}
