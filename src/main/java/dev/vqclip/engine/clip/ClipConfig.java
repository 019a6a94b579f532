package dev.vqclip.engine.clip;


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
        // Far above every published CLIP (ViT-L/14@336px: 24 layers, width 1024, 336 px), far below what would
        // exhaust memory while the expected shapes are listed or the model is built.
        atMost("embed_dim", embedDim, 4096);
        atMost("image_resolution", imageResolution, 1024);
        atMost("vision_layers", visionLayers, 64);
        atMost("vision_width", visionWidth, 4096);
        atMost("vision_patch_size", visionPatchSize, 256);
        atMost("context_length", contextLength, 1024);
        atMost("vocab_size", vocabSize, 1 << 20);
        atMost("transformer_width", transformerWidth, 4096);
        atMost("transformer_heads", transformerHeads, 128);
        atMost("transformer_layers", transformerLayers, 64);
        if (imageResolution % visionPatchSize != 0) {
            throw new IllegalArgumentException("image resolution " + imageResolution + " is not a multiple of the patch size "
                    + visionPatchSize);
        }
        if (visionWidth % 64 != 0 || transformerWidth % transformerHeads != 0) {
            throw new IllegalArgumentException("CLIP widths must split into 64-wide heads: vision width " + visionWidth
                    + ", text width " + transformerWidth + " with " + transformerHeads + " heads");
        }
    }

    private static void atMost(String field, int value, int limit) {
        if (value > limit) {
            throw new IllegalArgumentException("CLIP config " + field + " = " + value + " is above the limit of " + limit);
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
}
