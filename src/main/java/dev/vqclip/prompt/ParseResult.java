package dev.vqclip.prompt;

import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of parsing user input: {@link Parsed} with the value, or {@link PromptError} with a message meant for
 * the user. Parsers return this instead of throwing, so every adapter can answer a bad prompt politely.
 */
public sealed interface ParseResult<T> permits Parsed, PromptError {

    boolean isParsed();

    /** The value; for callers that checked {@link #isParsed()}. An error throws {@link IllegalStateException}. */
    T orElseThrow();

    Optional<T> toOptional();

    Optional<PromptError<T>> error();

    <R> ParseResult<R> map(Function<? super T, ? extends R> f);

    <R> ParseResult<R> flatMap(Function<? super T, ParseResult<R>> f);
}
