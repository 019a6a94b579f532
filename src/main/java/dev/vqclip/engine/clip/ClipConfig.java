package dev.vqclip.engine.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * An OpenAI CLIP ViT model, with the constructor arguments of upstream {@code CLIP(...)}. Heads are derived as
 * upstream does: width / 64 for both towers.
 */
public record ClipConfig(int embedDim, int imageResolution, int visionLayers, int visionWidth, int visionPatchSize,
                         int contextLength, int vocabSize, int transformerWidth, int transformerHeads,
                         int transformerLayers) {

    public ClipConfig {
        if (embedDim <= 0 || imageResolution <= 0 || visionLayers <= 0 || visionWidth <= 0 || visionPatchSize <= 0
                || contextLength <= 1 || vocabSize <= 2 || transformerWidth <= 0 || transformerHeads <= 0
                || transformerLayers <= 0) {
            throw new IllegalArgumentException("invalid CLIP config: " + this);
        }
        if (imageResolution % visionPatchSize != 0) {
            throw new IllegalArgumentException("image resolution " + imageResolution + " is not a multiple of the patch size "
                    + visionPatchSize);
        }
        if (visionWidth % 64 != 0 || transformerWidth % transformerHeads != 0) {
            throw new IllegalArgumentException("CLIP widths must split into 64-wide heads: vision width " + visionWidth
                    + ", text width " + transformerWidth + " with " + transformerHeads + " heads");
        }
    }

    public int visionHeads() {
        return visionWidth / 64;
    }

    public int gridSize() {
        return imageResolution / visionPatchSize;
    }

    /** Start-of-text id: the second-highest id, as in OpenAI's vocabulary. */
    public int sotToken() {
        return vocabSize - 2;
    }

    /** End-of-text id: the highest id; encode_text pools at argmax(ids), i.e. here. */
    public int eotToken() {
        return vocabSize - 1;
    }

    /**
     * Reads the config JSON stored in a weights file's {@code __metadata__.config}: upstream {@code CLIP(...)}
     * argument names ({@code embed_dim, image_resolution, vision_layers, vision_width, vision_patch_size,
     * context_length, vocab_size, transformer_width, transformer_heads, transformer_layers}). Optional
     * {@code sot_token}/{@code eot_token} must agree with the vocabulary layout this record assumes.
     */
    public static ClipConfig fromMetadataJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("CLIP config metadata is not JSON: " + e.getMessage(), e);
        }
        ClipConfig c = new ClipConfig(requireInt(root, "embed_dim"), requireInt(root, "image_resolution"),
                requireInt(root, "vision_layers"), requireInt(root, "vision_width"), requireInt(root, "vision_patch_size"),
                requireInt(root, "context_length"), requireInt(root, "vocab_size"), requireInt(root, "transformer_width"),
                requireInt(root, "transformer_heads"), requireInt(root, "transformer_layers"));
        if (root.has("sot_token") && root.get("sot_token").asInt() != c.sotToken()
                || root.has("eot_token") && root.get("eot_token").asInt() != c.eotToken()) {
            throw new IllegalArgumentException("CLIP special tokens must be the two highest ids (" + c.sotToken() + ", "
                    + c.eotToken() + ") but the metadata says sot=" + root.get("sot_token") + " eot=" + root.get("eot_token"));
        }
        return c;
    }

    private static int requireInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("CLIP config needs integer \"" + field + "\" but has " + v);
        }
        return v.intValue();
    }
}
