package dev.vqclip.prompt;

import java.util.function.ToIntFunction;

/**
 * How {@link PromptParser} checks that a text prompt fits CLIP: the counter gives the number of BPE tokens of a
 * text without start/end (the engine's tokenizer, injected so that this package depends on nothing), and a text
 * may have at most {@code maxTokens} of them (75 for CLIP's context of 77). With {@code truncate} longer texts are
 * accepted and the engine keeps their first tokens, as {@code clip.tokenize(truncate=True)} does.
 */
public record TokenBudget(ToIntFunction<String> counter, int maxTokens, boolean truncate) {

    /** CLIP's context of 77 tokens minus start and end. */
    public static final int CLIP_MAX_TOKENS = 75;

    public TokenBudget {
        if (counter == null) {
            throw new IllegalArgumentException("a token budget needs a token counter");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be >= 1, got " + maxTokens);
        }
    }

    /** CLIP's 75 tokens, over-long texts refused. */
    public static TokenBudget clip(ToIntFunction<String> counter) {
        return new TokenBudget(counter, CLIP_MAX_TOKENS, false);
    }

    /** No token check (for callers without a tokenizer, e.g. validating syntax only). */
    public static TokenBudget unchecked() {
        return new TokenBudget(text -> 0, Integer.MAX_VALUE, true);
    }

    public TokenBudget withTruncate(boolean allow) {
        return new TokenBudget(counter, maxTokens, allow);
    }

    boolean checks() {
        return !truncate;
    }
}
