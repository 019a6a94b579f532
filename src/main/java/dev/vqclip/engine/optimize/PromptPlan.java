package dev.vqclip.engine.optimize;

import java.util.List;

/**
 * The prompt losses over time: phrase k is active from step k·changeEvery on, wrapping around (nerdyrodent's
 * story mode; the optimizer state is not reset when the phrase changes). changeEvery 0 keeps the first phrase.
 */
public record PromptPlan(List<List<SphericalPrompt>> phrases, int changeEvery) {
    public PromptPlan {
        if (phrases == null || phrases.isEmpty() || phrases.stream().anyMatch(p -> p == null || p.isEmpty())) {
            throw new IllegalArgumentException("a prompt plan needs at least one phrase, each with at least one prompt");
        }
        phrases = phrases.stream().map(List::copyOf).toList();
        if (changeEvery < 0) {
            throw new IllegalArgumentException("changeEvery must be >= 0, got " + changeEvery);
        }
    }

    public static PromptPlan of(List<SphericalPrompt> prompts) {
        return new PromptPlan(List.of(prompts), 0);
    }

    public List<SphericalPrompt> at(int step) {
        if (changeEvery == 0 || phrases.size() == 1) {
            return phrases.get(0);
        }
        return phrases.get((step / changeEvery) % phrases.size());
    }
}
