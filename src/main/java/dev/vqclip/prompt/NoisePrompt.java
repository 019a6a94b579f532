package dev.vqclip.prompt;

/** A noise prompt (KC/NR): a random N(0,1) embedding drawn from {@code seed}, used as a target with {@code weight}. */
public record NoisePrompt(long seed, double weight) {
    public NoisePrompt {
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("noise prompt weight must be a finite number, got " + weight);
        }
    }
}
