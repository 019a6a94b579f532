package dev.vqclip.job;

import dev.vqclip.prompt.ImagePrompt;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What any submitted recipe must stay within, checked again by {@link JobService} whatever adapter built it: prompts
 * per phrase and their length, image and noise prompts, size, iterations, and the bytes of attached image files.
 */
public record RecipeBounds(int maxSide, int maxIterations, int maxPrompts, int maxChars, long maxImageBytes) {
    public RecipeBounds {
        if (maxSide < 1 || maxIterations < 1 || maxPrompts < 1 || maxChars < 1 || maxImageBytes < 1) {
            throw new IllegalArgumentException("recipe bounds must be positive, got side " + maxSide + ", iterations "
                    + maxIterations + ", prompts " + maxPrompts + ", chars " + maxChars + ", image bytes " + maxImageBytes);
        }
    }

    /** The engine's own ceilings and the prompt parser's defaults; images up to 50 MiB. */
    public static RecipeBounds defaults() {
        return new RecipeBounds(Recipe.MAX_SIDE, Recipe.MAX_ITERATIONS, PromptPolicy.DEFAULT_MAX_PROMPTS,
                PromptPolicy.DEFAULT_MAX_CHARS, 50L << 20);
    }

    /** The first rule the recipe breaks, worded for the user; empty when it keeps them all. */
    public Optional<String> violation(Recipe r) {
        if (r.width() > maxSide || r.height() > maxSide) {
            return Optional.of("images are at most " + maxSide + " px per side here, got " + r.width() + "x" + r.height());
        }
        if (r.iterations() > maxIterations) {
            return Optional.of("at most " + maxIterations + " iterations are allowed here, got " + r.iterations());
        }
        for (List<WeightedPrompt> phrase : r.prompts().phrases()) {
            if (phrase.size() > maxPrompts) {
                return Optional.of("at most " + maxPrompts + " prompts per phrase, got " + phrase.size());
            }
            for (WeightedPrompt p : phrase) {
                if (p.text().length() > maxChars) {
                    return Optional.of("a prompt may have at most " + maxChars + " characters, got " + p.text().length());
                }
            }
        }
        if (r.targetImages().size() > maxPrompts || r.noisePrompts().size() > maxPrompts) {
            return Optional.of("at most " + maxPrompts + " image and " + maxPrompts + " noise prompts, got "
                    + r.targetImages().size() + " and " + r.noisePrompts().size());
        }
        List<String> files = new ArrayList<>(r.targetImages().stream().map(ImagePrompt::source).toList());
        if (r.initImage() != null) {
            files.add(r.initImage());
        }
        for (String file : files) {
            long bytes = fileBytes(file);
            if (bytes > maxImageBytes) {
                return Optional.of("an attached image may have at most " + (maxImageBytes >> 20) + " MiB, "
                        + Path.of(file).getFileName() + " has " + (bytes >> 20) + " MiB");
            }
        }
        return Optional.empty();
    }

    private static long fileBytes(String source) {
        try {
            Path p = Path.of(source);
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (InvalidPathException | IOException e) {
            return 0; // not a local file: the worker reports it when it cannot read it
        }
    }
}
