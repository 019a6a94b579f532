package dev.vqclip.engine.vqgan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
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

    /**
     * Reads the config JSON stored in a weights file's {@code __metadata__.config}, taming's layout:
     * {@code {"ddconfig": {ch, ch_mult, num_res_blocks, attn_resolutions, z_channels, resolution, in_channels,
     * out_ch, double_z, ...}, "n_embed": N, "embed_dim": E}}, plus an optional {@code "gumbel": true}.
     */
    public static VqganConfig fromMetadataJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("VQGAN config metadata is not JSON: " + e.getMessage(), e);
        }
        JsonNode dd = root.path("ddconfig");
        if (!dd.isObject()) {
            throw new IllegalArgumentException("VQGAN config metadata needs a \"ddconfig\" object but was: " + json);
        }
        if (dd.path("double_z").asBoolean(false)) {
            throw new IllegalArgumentException("ddconfig.double_z=true is a VAE encoder layout, not a taming VQGAN");
        }
        return new VqganConfig(requireInt(dd, "ch"), intList(dd, "ch_mult"), requireInt(dd, "num_res_blocks"),
                intList(dd, "attn_resolutions"), requireInt(dd, "z_channels"), requireInt(dd, "resolution"),
                requireInt(dd, "in_channels"), requireInt(dd, "out_ch"), requireInt(root, "embed_dim"),
                requireInt(root, "n_embed"), root.path("gumbel").asBoolean(false));
    }

    private static int requireInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("VQGAN config needs integer \"" + field + "\" but has " + v);
        }
        return v.intValue();
    }

    private static List<Integer> intList(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("VQGAN config needs an integer list \"" + field + "\" but has " + v);
        }
        List<Integer> out = new ArrayList<>();
        v.forEach(e -> out.add(e.intValue()));
        return out;
    }

    private static String describe(Object... parts) {
        return List.of(parts).toString();
    }
}
