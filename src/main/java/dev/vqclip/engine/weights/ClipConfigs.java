package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.engine.clip.ClipConfig;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/** Where a {@link ClipConfig} comes from: the weights' shapes, or the JSON a safetensors file carries. */
public final class ClipConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClipConfigs() {
    }

    /**
     * Infers the config exactly as upstream {@code clip/model.py build_model} does for a ViT model: vision width and
     * patch from {@code visual.conv1.weight}, vision layers = number of {@code visual.*.attn.in_proj_weight}, grid =
     * sqrt(rows of {@code visual.positional_embedding} - 1), resolution = patch x grid, embed dim = columns of
     * {@code text_projection}, context = rows of {@code positional_embedding}, vocab = rows of
     * {@code token_embedding.weight}, text width = {@code ln_final.weight} length, text heads = width / 64, text
     * layers = distinct {@code transformer.resblocks.N}.
     *
     * @throws WeightsException for ResNet CLIPs (no {@code visual.proj}) and for missing or inconsistent keys
     */
    public static ClipConfig inferFromShapes(StateDict sd) {
        if (!sd.contains("visual.proj")) {
            boolean resnet = sd.keys().stream().anyMatch(k -> k.startsWith("visual.layer1.")
                    || k.startsWith("visual.attnpool."));
            throw new WeightsException(sd.source() + ": " + (resnet
                    ? "ResNet CLIP models (RN50…) are not supported yet; use a ViT model"
                    : "not a CLIP ViT state dict (no 'visual.proj')"));
        }
        int visionWidth = sd.dim("visual.conv1.weight", 0); // [width, 3, patch, patch]
        int patch = sd.dim("visual.conv1.weight", 3);
        int visionLayers = (int) sd.keys().stream()
                .filter(k -> k.startsWith("visual.") && k.endsWith(".attn.in_proj_weight")).count();
        int tokens = sd.dim("visual.positional_embedding", 0); // grid^2 + 1 (class token)
        int grid = (int) Math.round(Math.sqrt(tokens - 1));
        if (grid * grid != tokens - 1) {
            throw new WeightsException(sd.source() + ": visual.positional_embedding has " + tokens
                    + " rows, which is not a square grid plus the class token");
        }
        int transformerWidth = sd.dim("ln_final.weight", 0);
        Set<String> textLayers = new TreeSet<>();
        for (String k : sd.keys()) {
            if (k.startsWith("transformer.resblocks.")) {
                textLayers.add(k.split("\\.")[2]);
            }
        }
        return build(sd.source(), sd.dim("text_projection", 1), patch * grid, visionLayers, visionWidth, patch,
                sd.dim("positional_embedding", 0), sd.dim("token_embedding.weight", 0), transformerWidth,
                transformerWidth / 64, textLayers.size());
    }

    /**
     * Reads the {@code __metadata__.config} JSON of a CLIP safetensors file: the {@code CLIP(...)} constructor
     * arguments in snake case ({@code embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size,
     * context_length, vocab_size, transformer_width, transformer_heads, transformer_layers}). Optional
     * {@code sot_token}/{@code eot_token} must agree with the vocabulary (the two highest ids).
     */
    public static ClipConfig fromMetadataJson(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new WeightsException("CLIP config metadata is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new WeightsException("CLIP config metadata is not a JSON object: " + json);
        }
        if (n.has("ddconfig") || n.has("n_embed") || n.has("model")) {
            throw new WeightsException("this file holds a VQGAN config, not a CLIP one (are --vqgan and --clip swapped?)");
        }
        ClipConfig c = build("CLIP config metadata", JsonFields.integer(n, "embed_dim"), JsonFields.integer(n, "image_resolution"),
                JsonFields.integer(n, "vision_layers"), JsonFields.integer(n, "vision_width"), JsonFields.integer(n, "vision_patch_size"),
                JsonFields.integer(n, "context_length"), JsonFields.integer(n, "vocab_size"), JsonFields.integer(n, "transformer_width"),
                JsonFields.integer(n, "transformer_heads"), JsonFields.integer(n, "transformer_layers"));
        checkToken(n, "sot_token", c.sotToken());
        checkToken(n, "eot_token", c.eotToken());
        return c;
    }

    private static ClipConfig build(String source, int embedDim, int imageResolution, int visionLayers,
                                    int visionWidth, int visionPatchSize, int contextLength, int vocabSize,
                                    int transformerWidth, int transformerHeads, int transformerLayers) {
        try {
            return new ClipConfig(embedDim, imageResolution, visionLayers, visionWidth, visionPatchSize,
                    contextLength, vocabSize, transformerWidth, transformerHeads, transformerLayers);
        } catch (IllegalArgumentException e) {
            throw new WeightsException(source + ": " + e.getMessage(), e);
        }
    }

    private static void checkToken(JsonNode n, String field, int expected) {
        if (n.has(field) && JsonFields.integer(n, field) != expected) {
            throw new WeightsException("config " + field + " is " + n.get(field) + " but CLIP's vocabulary order puts it "
                    + "at " + expected + " (the two highest ids are start and end of text)");
        }
    }
}
