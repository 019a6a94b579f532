package dev.vqclip.prompt;

/** A target image (path or URL) used as a prompt: its CLIP embedding is pulled towards (or pushed from). */
public record ImagePrompt(String source, double weight, double stop) {
    public ImagePrompt {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("image prompt source must not be empty");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("image prompt weight must be a finite number, got " + weight);
        }
        if (Double.isNaN(stop) || stop == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("image prompt stop must be a number or -inf, got " + stop);
        }
    }
}
