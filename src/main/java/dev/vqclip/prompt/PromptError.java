package dev.vqclip.prompt;

import java.util.Optional;
import java.util.function.Function;

/** Input the user must change, with a message that states the rule and the offending value. */
public record PromptError<T>(Kind kind, String message) implements ParseResult<T> {

    /** What was wrong, for adapters that want to react differently (e.g. log moderation refusals). */
    public enum Kind {
        /** No prompt at all, or nothing between separators. */
        EMPTY,
        /** The input is longer than {@link PromptPolicy#maxChars()}. */
        TOO_LONG,
        /** More prompts than {@link PromptPolicy#maxPrompts()}. */
        TOO_MANY_PROMPTS,
        /** A weight, stop or seed that is not an acceptable number. */
        BAD_NUMBER,
        /** Every weight is zero, so nothing would guide the image. */
        ALL_ZERO_WEIGHTS,
        /** A text prompt has more CLIP tokens than the model takes (and truncation is off). */
        TOO_MANY_TOKENS,
        /** A moderation rule of {@link PromptPolicy} matched. */
        BLOCKED,
        /** An invalid schedule setting. */
        BAD_SCHEDULE
    }

    public PromptError {
        if (kind == null || message == null || message.isBlank()) {
            throw new IllegalArgumentException("a prompt error needs a kind and a message");
        }
        message = visible(message);
    }

    /**
     * Messages quote what the user typed: control characters and bidi controls are shown as a backslash-u escape, so a
     * refusal stays one line and reads in order wherever it is printed.
     */
    static String visible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hidden = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT;
            if (hidden) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The same error, typed for another result. */
    @SuppressWarnings("unchecked")
    public <R> PromptError<R> retyped() {
        return (PromptError<R>) this;
    }

    @Override
    public boolean isParsed() {
        return false;
    }

    @Override
    public T orElseThrow() {
        throw new IllegalStateException("not parsed: " + message);
    }

    @Override
    public Optional<T> toOptional() {
        return Optional.empty();
    }

    @Override
    public Optional<PromptError<T>> error() {
        return Optional.of(this);
    }

    @Override
    public <R> ParseResult<R> map(Function<? super T, ? extends R> f) {
        return retyped();
    }

    @Override
    public <R> ParseResult<R> flatMap(Function<? super T, ParseResult<R>> f) {
        return retyped();
    }
}
