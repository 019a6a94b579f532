package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vqclip.engine.vqgan.VqganConfig;
import java.util.List;

/**
 * The model part of a taming-transformers config: the model class ({@code target}), the quantizer size and the
 * Encoder/Decoder {@code ddconfig}, with taming's field names.
 *
 * @param target the model class, {@link #VQ_MODEL} or {@link #GUMBEL_VQ}
 */
public record TamingConfig(String target, int embedDim, int nEmbed, DdConfig ddconfig) {
    public static final String VQ_MODEL = "taming.models.vqgan.VQModel";
    public static final String GUMBEL_VQ = "taming.models.vqgan.GumbelVQ";
    /** A transformer checkpoint whose {@code first_stage_config} is the VQGAN. */
    public static final String NET2NET = "taming.models.cond_transformer.Net2NetTransformer";

    /** taming's {@code ddconfig}: the arguments of {@code Encoder} and {@code Decoder}. */
    public record DdConfig(boolean doubleZ, int zChannels, int resolution, int inChannels, int outCh, int ch,
                           List<Integer> chMult, int numResBlocks, List<Integer> attnResolutions, double dropout) {
        public DdConfig {
            chMult = List.copyOf(chMult);
            attnResolutions = List.copyOf(attnResolutions);
        }
    }

    public TamingConfig {
        if (ddconfig == null) {
            throw new WeightsException("a taming config needs a ddconfig");
        }
        if (!VQ_MODEL.equals(target) && !GUMBEL_VQ.equals(target)) {
            throw new WeightsException("unsupported taming model target '" + target + "' (supported: " + VQ_MODEL
                    + ", " + GUMBEL_VQ + ")");
        }
    }

    /**
     * The VQGAN this config describes. {@code double_z} must be false (taming's VQGANs never double z; only the
     * KL autoencoders of latent diffusion do).
     */
    public VqganConfig toVqganConfig() {
        if (ddconfig.doubleZ()) {
            throw new WeightsException("ddconfig.double_z is true, which VQGAN models never use (a KL autoencoder?)");
        }
        try {
            return new VqganConfig(ddconfig.ch(), ddconfig.chMult(), ddconfig.numResBlocks(),
                    ddconfig.attnResolutions(), ddconfig.zChannels(), ddconfig.resolution(), ddconfig.inChannels(),
                    ddconfig.outCh(), embedDim, nEmbed, target.equals(GUMBEL_VQ));
        } catch (IllegalArgumentException e) {
            throw new WeightsException(e.getMessage(), e);
        }
    }

    /**
     * Reads a config tree in any of the layouts it comes in: a whole taming YAML ({@code model: {target, params}}),
     * just its {@code model} node, a Net2Net transformer config (the VQGAN is its {@code first_stage_config}), or the
     * bare params ({@code {ddconfig, n_embed, embed_dim}}, as the safetensors metadata holds them; target VQModel
     * unless a {@code target} field says otherwise).
     */
    static TamingConfig fromTree(JsonNode root) {
        JsonNode node = root.has("model") ? JsonFields.object(root, "model") : root;
        String target;
        JsonNode params;
        if (node.has("params")) {
            target = node.path("target").asText("");
            params = JsonFields.object(node, "params");
            if (target.equals(NET2NET)) {
                JsonNode firstStage = JsonFields.object(params, "first_stage_config");
                target = firstStage.path("target").asText("");
                params = JsonFields.object(firstStage, "params");
            }
        } else {
            target = node.path("target").asText(VQ_MODEL);
            params = node;
        }
        JsonNode dd = JsonFields.object(params, "ddconfig");
        DdConfig ddconfig = new DdConfig(JsonFields.bool(dd, "double_z", false), JsonFields.integer(dd, "z_channels"),
                JsonFields.integer(dd, "resolution"), JsonFields.integer(dd, "in_channels"),
                JsonFields.integer(dd, "out_ch"), JsonFields.integer(dd, "ch"), JsonFields.integers(dd, "ch_mult"),
                JsonFields.integer(dd, "num_res_blocks"), JsonFields.integers(dd, "attn_resolutions"),
                JsonFields.number(dd, "dropout", 0.0));
        return new TamingConfig(target, JsonFields.integer(params, "embed_dim"), JsonFields.integer(params, "n_embed"),
                ddconfig);
    }
}
