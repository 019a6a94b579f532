package dev.vqclip.prompt;

import java.util.List;

/** Everything a user asked the image to look like: text prompts over time, image prompts and noise prompts. */
public record PromptSet(PromptSchedule schedule, List<ImagePrompt> images, List<NoisePrompt> noise) {
    public PromptSet {
        if (schedule == null) {
            throw new IllegalArgumentException("a prompt set needs a schedule (possibly of one empty phrase)");
        }
        images = images == null ? List.of() : List.copyOf(images);
        noise = noise == null ? List.of() : List.copyOf(noise);
    }
}
