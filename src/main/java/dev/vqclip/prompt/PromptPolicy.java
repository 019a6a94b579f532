package dev.vqclip.prompt;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Limits and moderation applied by {@link PromptParser}.
 *
 * @param maxPrompts      most text prompts per phrase (and most image / noise prompts)
 * @param maxChars        most characters of one input string
 * @param blockedWords    words or phrases refused anywhere in a text prompt, matched case-insensitively as whole
 *                        words (not inside longer words: "ass" does not block "class")
 * @param blockedPatterns regular expressions (Java syntax) refused anywhere in a text prompt, case-insensitive
 */
public record PromptPolicy(int maxPrompts, int maxChars, List<String> blockedWords, List<String> blockedPatterns) {

    public static final int DEFAULT_MAX_PROMPTS = 8;
    public static final int DEFAULT_MAX_CHARS = 1000;

    public PromptPolicy {
        if (maxPrompts < 1) {
            throw new IllegalArgumentException("max prompts must be >= 1, got " + maxPrompts);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("max chars must be >= 1, got " + maxChars);
        }
        blockedWords = blockedWords == null ? List.of() : List.copyOf(blockedWords);
        blockedPatterns = blockedPatterns == null ? List.of() : List.copyOf(blockedPatterns);
        for (String word : blockedWords) {
            if (word.isBlank()) {
                throw new IllegalArgumentException("a blocked word must not be blank");
            }
        }
        for (String pattern : blockedPatterns) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("blocked pattern '" + pattern + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
    }

    /** 8 prompts, 1000 characters, no moderation rules. */
    public static PromptPolicy defaults() {
        return new PromptPolicy(DEFAULT_MAX_PROMPTS, DEFAULT_MAX_CHARS, List.of(), List.of());
    }

    public PromptPolicy withBlockedWords(List<String> words) {
        return new PromptPolicy(maxPrompts, maxChars, words, blockedPatterns);
    }

    public PromptPolicy withBlockedPatterns(List<String> patterns) {
        return new PromptPolicy(maxPrompts, maxChars, blockedWords, patterns);
    }

    public PromptPolicy withMaxPrompts(int max) {
        return new PromptPolicy(max, maxChars, blockedWords, blockedPatterns);
    }

    public PromptPolicy withMaxChars(int max) {
        return new PromptPolicy(maxPrompts, max, blockedWords, blockedPatterns);
    }
}
