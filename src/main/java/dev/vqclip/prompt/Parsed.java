package dev.vqclip.prompt;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A successful parse. */
public record Parsed<T>(T value) implements ParseResult<T> {

    public Parsed {
        Objects.requireNonNull(value, "parsed value");
    }

    @Override
    public boolean isParsed() {
        return true;
    }

    @Override
    public T orElseThrow() {
        return value;
    }

    @Override
    public Optional<T> toOptional() {
        return Optional.of(value);
    }

    @Override
    public Optional<PromptError<T>> error() {
        return Optional.empty();
    }

    @Override
    public <R> ParseResult<R> map(Function<? super T, ? extends R> f) {
        return new Parsed<>(f.apply(value));
    }

    @Override
    public <R> ParseResult<R> flatMap(Function<? super T, ParseResult<R>> f) {
        return f.apply(value);
    }
}
