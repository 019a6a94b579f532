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
            throw new IllegalArgumentException("invalid VQGAN config: " + describe(ch, chMult, numResBlocks,
                    attnResolutions, zChannels, resolution, inChannels, outCh, embedDim, nEmbed));
        }
        for (int m : chMult) {
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

    private static String describe(Object... parts) {
        return List.of(parts).toString();
    }
}
