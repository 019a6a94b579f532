package dev.vqclip.engine;

import java.time.Duration;
import java.util.List;

/**
 * One optimizer step: 0-based {@code iteration} of {@code total}, the loss of each prompt (in recipe order:
 * init-weight term first when present, then text, image and noise prompts) and their sum.
 */
public record StepEvent(int iteration, int total, List<Double> promptLosses, double loss, Duration elapsed) {
    public StepEvent {
        promptLosses = List.copyOf(promptLosses);
    }
}
