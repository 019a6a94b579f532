package dev.vqclip.prompt;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.clip.ClipTokenizer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile prompts (any unicode, control characters, bidi marks, huge and non-finite weights, thousands of '|' and
 * '^') either parse or are refused with a one-line message, quickly, by the parser {@code imagine} uses (the
 * CLIP tokenizer's budget) and the chat adapters' lenient one.
 */
class PromptParserHostileProperties {
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.tiny64();
    private static final List<PromptParser> PARSERS = List.of(
            new PromptParser(PromptPolicy.defaults(), new TokenBudget(TOKENIZER::countTokens, 75, false)),
            new PromptParser(PromptPolicy.defaults(), new TokenBudget(TOKENIZER::countTokens, 14, true)),
            PromptParser.lenient());
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> anyUnicode = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> controls = Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars("\u007f\u0085ab:|^")
                .ofMaxLength(80);
        Arbitrary<String> bidi = Arbitraries.strings().withChars("\u202e\u202d\u200f\u200e\u2066\u2067\u2068\u2069\u061c"
                + "abc \u05d0\u05d1\u0627:|^0.5").ofMaxLength(80);
        Arbitrary<String> weights = Arbitraries.of("1e308", "1e309", "-1e400", "NaN", "Infinity", "-inf", "0x10", "1_000",
                        "9".repeat(400), "1e-400", "-0", "+-1", "1e", ".")
                .flatMap(w -> Arbitraries.of("cat:" + w, "cat:1:" + w, "cat:" + w + ":" + w, w + ":" + w));
        Arbitrary<String> separators = Arbitraries.integers().between(1, 5000)
                .flatMap(n -> Arbitraries.of("|", "^", "a|", "a^", "a:1|", "|^", "b:-1:0.5^").map(s -> s.repeat(n)));
        return Arbitraries.frequencyOf(Tuple.of(3, anyUnicode), Tuple.of(2, controls), Tuple.of(2, bidi),
                Tuple.of(2, weights), Tuple.of(2, separators));
    }

    @Property(tries = 600, seed = "19")
    void everyHostilePromptParsesOrIsRefusedInOneLine(@ForAll("hostile") String prompt, @ForAll("hostile") String images,
                                                      @ForAll("hostile") String noise) {
        for (PromptParser parser : PARSERS) {
            ParseResult<PromptSet> result = assertTimeoutPreemptively(BOUND, () -> parser.parse(prompt, images, noise, 10));
            assertNotNull(result);
            result.error().ifPresent(e -> {
                assertTrue(e.message() != null && !e.message().isBlank(), "a refusal says why");
                assertTrue(e.message().lines().count() == 1, "one line: " + e.message());
            });
            result.toOptional().ifPresent(set -> set.schedule().phrases().forEach(phrase -> phrase.forEach(p -> {
                assertTrue(Double.isFinite(p.weight()), "weights are finite: " + p);
            })));
        }
    }
}
