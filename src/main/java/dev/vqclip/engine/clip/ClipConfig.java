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
}
