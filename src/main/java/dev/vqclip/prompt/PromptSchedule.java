package dev.vqclip.prompt;

import java.util.List;

/**
 * Text prompts over time (NR's "story mode"): phrases separated by {@code ^}; phrase k is active from iteration
 * k*changeEvery on (wrapping around). With changeEvery = 0 only the first phrase is ever used.
 */
public record PromptSchedule(List<List<WeightedPrompt>> phrases, int changeEvery) {
    public PromptSchedule {
        if (phrases == null || phrases.isEmpty()) {
            throw new IllegalArgumentException("a prompt schedule needs at least one phrase");
        }
        phrases = phrases.stream().map(List::copyOf).toList();
        if (changeEvery < 0) {
            throw new IllegalArgumentException("changeEvery must be >= 0, got " + changeEvery);
        }
    }

    public static PromptSchedule of(List<WeightedPrompt> prompts) {
        return new PromptSchedule(List.of(prompts), 0);
    }

    /** The prompts active at 0-based iteration {@code i}. */
    public List<WeightedPrompt> at(int i) {
        if (changeEvery == 0 || phrases.size() == 1) {
            return phrases.get(0);
        }
        return phrases.get((i / changeEvery) % phrases.size());
    }
}
