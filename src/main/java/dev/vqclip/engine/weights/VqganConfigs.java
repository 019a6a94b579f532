package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.engine.vqgan.VqganConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Where a {@link VqganConfig} comes from when there is no taming YAML: the weights' shapes, or safetensors metadata. */
public final class VqganConfigs {
    /**
     * The training resolution assumed when the caller does not know it. A VQGAN is fully convolutional, so the
     * weights cannot tell it; taming's published models were all trained at 256.
     */
    public static final int DEFAULT_RESOLUTION = 256;

    private VqganConfigs() {
    }

    /**
     * {@link #inferFromShapes(StateDict, int)} with {@link #DEFAULT_RESOLUTION} (256). The resolution is not
     * inferable from the weights; it only fixes how {@code attn_resolutions} is expressed (as 256 / 2^level for the
     * levels that have attention), so the model built from the result is the same whatever the true value was.
     */
    public static VqganConfig inferFromShapes(StateDict sd) {
        return inferFromShapes(sd, DEFAULT_RESOLUTION);
    }

    /**
     * Infers the config from taming's state_dict names and shapes ({@code taming/modules/diffusionmodules/model.py}):
     * <ul>
     *   <li>{@code ch}, {@code in_channels}: {@code encoder.conv_in.weight} [ch, in, 3, 3];</li>
     *   <li>{@code ch_mult}: the output width of {@code encoder.down.i.block.0} divided by ch, one per level;</li>
     *   <li>{@code num_res_blocks}: the number of {@code encoder.down.0.block.N};</li>
     *   <li>{@code attn_resolutions}: resolution / 2^i for each level i that has {@code encoder.down.i.attn};</li>
     *   <li>{@code z_channels}: input width of {@code decoder.conv_in}; {@code out_ch}: {@code decoder.conv_out};</li>
     *   <li>{@code n_embed}, {@code embed_dim}: the codebook, {@code quantize.embedding.weight} [n_embed, embed_dim],
     *       or {@code quantize.embed.weight} for the Gumbel variant (then {@code gumbel} is true).</li>
     * </ul>
     *
     * @param resolution the training resolution, which the weights do not record
     */
    public static VqganConfig inferFromShapes(StateDict sd, int resolution) {
        int ch = sd.dim("encoder.conv_in.weight", 0);
        int inChannels = sd.dim("encoder.conv_in.weight", 1);
        List<Integer> chMult = new ArrayList<>();
        List<Integer> attnResolutions = new ArrayList<>();
        for (int level = 0; sd.contains("encoder.down." + level + ".block.0.conv2.weight"); level++) {
            int width = sd.dim("encoder.down." + level + ".block.0.conv2.weight", 0);
            if (width % ch != 0) {
                throw new WeightsException(sd.source() + ": encoder level " + level + " is " + width
                        + " channels wide, not a multiple of ch=" + ch);
            }
            chMult.add(width / ch);
            String attn = "encoder.down." + level + ".attn.";
            if (sd.keys().stream().anyMatch(k -> k.startsWith(attn))) {
                if (resolution % (1 << level) != 0) {
                    throw new WeightsException("resolution " + resolution + " cannot be halved " + level + " times");
                }
                attnResolutions.add(resolution >> level);
            }
        }
        if (chMult.isEmpty()) {
            throw new WeightsException(sd.source() + ": no encoder levels (encoder.down.0.block.0.conv2.weight)");
        }
        int numResBlocks = 0;
        while (sd.contains("encoder.down.0.block." + numResBlocks + ".conv1.weight")) {
            numResBlocks++;
        }
        int zChannels = sd.dim("decoder.conv_in.weight", 1);
        int encoderOut = sd.dim("encoder.conv_out.weight", 0);
        if (encoderOut != zChannels) {
            throw new WeightsException(sd.source() + ": the encoder outputs " + encoderOut + " channels but the decoder "
                    + "takes " + zChannels + " (double_z models are not VQGANs)");
        }
        int outCh = sd.dim("decoder.conv_out.weight", 0);
        boolean gumbel = !sd.contains("quantize.embedding.weight") && sd.contains("quantize.embed.weight");
        String codebook = gumbel ? "quantize.embed.weight" : "quantize.embedding.weight";
        int nEmbed = sd.dim(codebook, 0);
        int embedDim = sd.dim(codebook, 1);
        if (sd.contains("quant_conv.weight") && sd.dim("quant_conv.weight", 0) != embedDim) {
            throw new WeightsException(sd.source() + ": quant_conv outputs " + sd.dim("quant_conv.weight", 0)
                    + " channels but the codebook vectors have " + embedDim);
        }
        try {
            return new VqganConfig(ch, chMult, numResBlocks, attnResolutions, zChannels, resolution, inChannels, outCh,
                    embedDim, nEmbed, gumbel);
        } catch (IllegalArgumentException e) {
            throw new WeightsException(sd.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the {@code __metadata__.config} JSON of a VQGAN safetensors file:
     * {@code {"ddconfig": {...taming ddconfig...}, "n_embed": N, "embed_dim": D}}, optionally with a {@code target}
     * ({@link TamingConfig#GUMBEL_VQ} for the Gumbel variant). A whole taming config tree is accepted too.
     */
    public static VqganConfig fromMetadataJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new WeightsException("VQGAN config metadata is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightsException("VQGAN config metadata is not a JSON object: " + json);
        }
        if (root.has("vision_layers") || root.has("transformer_layers")) {
            throw new WeightsException("this file holds a CLIP config, not a VQGAN one (are --vqgan and --clip swapped?)");
        }
        return TamingConfig.fromTree(root).toVqganConfig();
    }
}
