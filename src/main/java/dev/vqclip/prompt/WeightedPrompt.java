package dev.vqclip.prompt;

/**
 * One text prompt with its weight and stop (KC/NR semantics: the loss is weight * mean spherical distance; the
 * gradient of an entry is dropped once sign(weight)*distance falls to {@code stop}). Stop -inf means always active.
 */
public record WeightedPrompt(String text, double weight, double stop) {
    public WeightedPrompt {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("prompt text must not be empty");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("prompt weight must be a finite number, got " + weight);
        }
        if (Double.isNaN(stop) || stop == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("prompt stop must be a number or -inf, got " + stop);
        }
    }

    public WeightedPrompt(String text) {
        this(text, 1.0, Double.NEGATIVE_INFINITY);
    }
}
