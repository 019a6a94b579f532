package dev.vqclip.prompt;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptParserPropertiesTest {

    private static final PromptParser STRICT = new PromptParser(
            PromptPolicy.defaults().withBlockedWords(List.of("gore")).withBlockedPatterns(List.of("x{3,}")),
            TokenBudget.clip(text -> text.length() / 4));
    private static final PromptParser LENIENT = PromptParser.lenient();

    /** Strings made mostly of the characters the grammar cares about, so that every branch is reached. */
    @Provide
    Arbitrary<String> promptish() {
        Arbitrary<String> syntax = Arbitraries.strings().withChars("ab :|^-+.0123456789eEinfNAxg\t\u2003\u00a0").ofMaxLength(40);
        return Arbitraries.oneOf(syntax, Arbitraries.strings().ofMaxLength(60));
    }

    @Property(tries = 2000)
    void parserNeverThrows(@ForAll("promptish") String text, @ForAll("promptish") String images,
                           @ForAll("promptish") String noise) {
        for (PromptParser parser : List.of(STRICT, LENIENT)) {
            assertNotNull(parser.parseText(text, 3));
            assertNotNull(parser.parseImagePrompts(images));
            assertNotNull(parser.parseNoisePrompts(noise));
            ParseResult<PromptSet> all = parser.parse(text, images, noise, 0);
            all.error().ifPresent(e -> assertTrue(!e.message().isBlank()));
        }
    }

    @Property(tries = 1000)
    void formattedPromptsParseBackToThemselves(@ForAll("promptish") String text) {
        ParseResult<PromptSchedule> first = LENIENT.parseText(text, 7);
        Assume.that(first.isParsed());
        PromptSchedule schedule = first.orElseThrow();

        PromptSchedule again = LENIENT.parseText(PromptFormat.format(schedule), 7).orElseThrow();

        assertEquals(schedule, again);
    }

    @Property(tries = 1000)
    void formattedImageAndNoisePromptsParseBack(@ForAll("promptish") String images, @ForAll("promptish") String noise) {
        LENIENT.parseImagePrompts(images).toOptional().ifPresent(list ->
                assertEquals(list, LENIENT.parseImagePrompts(PromptFormat.formatImagePrompts(list)).orElseThrow()));
        LENIENT.parseNoisePrompts(noise).toOptional().ifPresent(list ->
                assertEquals(list, LENIENT.parseNoisePrompts(PromptFormat.formatNoisePrompts(list)).orElseThrow()));
    }

    @Provide
    Arbitrary<List<WeightedPrompt>> weightedPrompts() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abcXYZ019 :.-+eE,!").ofMinLength(1).ofMaxLength(20)
                .map(String::strip).filter(s -> !s.isEmpty());
        Arbitrary<Double> weight = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, 1.0, -1.0, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE));
        Arbitrary<Double> stop = Arbitraries.oneOf(Arbitraries.just(Double.NEGATIVE_INFINITY), Arbitraries.doubles());
        Arbitrary<WeightedPrompt> prompt = Combinators.combine(text, weight, stop).as(WeightedPrompt::new);
        return prompt.list().ofMinSize(1).ofMaxSize(PromptPolicy.DEFAULT_MAX_PROMPTS)
                .filter(list -> list.stream().anyMatch(p -> p.weight() != 0));
    }

    @Property(tries = 1000)
    void anyPromptListRoundTripsThroughItsCanonicalText(@ForAll("weightedPrompts") List<WeightedPrompt> prompts) {
        String canonical = PromptFormat.format(prompts);

        assertEquals(prompts, LENIENT.parseText(canonical, 0).orElseThrow().at(0), canonical);
    }

    @Property(tries = 1000)
    void weightsParseExactly(@ForAll double weight) {
        for (String written : List.of(Double.toString(weight), new BigDecimal(Double.toString(weight)).toPlainString())) {
            WeightedPrompt parsed = LENIENT.parseText("a fox | in snow:" + written, 0).orElseThrow().at(0).get(1);

            assertEquals(Double.doubleToRawLongBits(weight), Double.doubleToRawLongBits(parsed.weight()), written);
            assertEquals("in snow", parsed.text());
        }
    }
}
