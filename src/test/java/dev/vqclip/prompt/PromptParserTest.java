package dev.vqclip.prompt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptParserTest {

    private static final PromptParser PARSER = PromptParser.lenient();
    private static final double NO_STOP = Double.NEGATIVE_INFINITY;

    private static List<WeightedPrompt> prompts(PromptParser parser, String text) {
        ParseResult<PromptSchedule> result = parser.parseText(text, 0);
        assertTrue(result.isParsed(), () -> "expected a parse of '" + text + "', got " + result);
        return result.orElseThrow().at(0);
    }

    private static PromptError<?> error(ParseResult<?> result) {
        assertFalse(result.isParsed(), () -> "expected an error, got " + result);
        return result.error().orElseThrow();
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\" weight {2} stop {3}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "a cat => a cat => 1  => -Infinity",
            "`  a cat  ` => a cat => 1  => -Infinity",
            "a cat:1.2 => a cat => 1.2  => -Infinity",
            "a cat : 1.2 => a cat => 1.2  => -Infinity",
            "fog:-0.5 => fog => -0.5  => -Infinity",
            "ugly:-1:-0.9 => ugly => -1 => -0.9",
            "sharp:2:0.3 => sharp => 2 => 0.3",
            "x:1:-inf => x => 1  => -Infinity",
            "x:.5 => x => 0.5  => -Infinity",
            "x:1e-3 => x => 0.001  => -Infinity",
            "x:+2 => x => 2  => -Infinity",
            "Portrait: a cat => Portrait: a cat => 1  => -Infinity",
            "Portrait: a cat:0.5 => Portrait: a cat => 0.5  => -Infinity",
            "at 12:30 => at 12:30 => 1  => -Infinity",
            "at 12:30:45 => at 12:30:45 => 1  => -Infinity",
            "aspect 16:9 => aspect 16:9 => 1  => -Infinity",
            "at 12:30:0.5 => at 12:30 => 0.5  => -Infinity",
            "room 101 :2 => room 101 => 2  => -Infinity",
            "room 101:2.0 => room 101 => 2  => -Infinity",
            "http://x.png => http://x.png => 1  => -Infinity",
            "https://example.com:8080/a.png => https://example.com:8080/a.png => 1  => -Infinity",
            "cat: => cat: => 1  => -Infinity",
            "a:b:c => a:b:c => 1  => -Infinity",
            "a:1:2:3 => a:1:2:3 => 1 => -Infinity",
            "a:1:2.0:3 => a:1 => 2 => 3",
            "1984 => 1984 => 1  => -Infinity",
            "x 5:0 => x 5:0 => 1  => -Infinity"})
    void parsesOnePrompt(String input, String text, double weight, double stop) {
        assertEquals(List.of(new WeightedPrompt(text, weight, stop)), prompts(PARSER, input));
    }

    @Test
    void zeroWeightAfterLetterIsAWeight() {
        List<WeightedPrompt> parsed = prompts(PARSER, "a cat | dog:0");

        assertEquals(new WeightedPrompt("dog", 0, NO_STOP), parsed.get(1));
    }

    @Test
    void splitsOnPipesAndTrims() {
        List<WeightedPrompt> parsed = prompts(PARSER,
                "A painting of an apple in a fruit bowl | psychedelic | surreal:0.5 | weird:0.25");

        assertEquals(List.of(new WeightedPrompt("A painting of an apple in a fruit bowl"), new WeightedPrompt("psychedelic"),
                new WeightedPrompt("surreal", 0.5, NO_STOP), new WeightedPrompt("weird", 0.25, NO_STOP)), parsed);
    }

    @Test
    void caretSeparatesScheduledPhrases() {
        PromptSchedule schedule = PARSER.parseText("a sunflower|photo:-1 ^ a rose ^ a tulip", 1500).orElseThrow();

        assertEquals(3, schedule.phrases().size());
        assertEquals(1500, schedule.changeEvery());
        assertEquals(List.of(new WeightedPrompt("a sunflower"), new WeightedPrompt("photo", -1, NO_STOP)), schedule.at(0));
        assertEquals(List.of(new WeightedPrompt("a rose")), schedule.at(1500));
        assertEquals(List.of(new WeightedPrompt("a sunflower"), new WeightedPrompt("photo", -1, NO_STOP)), schedule.at(4500));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}: {2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "`` => EMPTY => the prompt is empty",
            "`   ` => EMPTY => the prompt is empty",
            "a || b => EMPTY => prompt 2 is empty: write text between the '|' separators",
            "a | => EMPTY => prompt 2 is empty",
            "a ^ ^ b => EMPTY => phrase 2 of 3 is empty",
            ":0.5 => EMPTY => prompt 1 ':0.5' has a weight but no text",
            "cat:1e999 => BAD_NUMBER => the weight of prompt 1 'cat' must be a finite number, got '1e999'",
            "cat:nan => BAD_NUMBER => the weight of prompt 1 'cat' must be a finite number, got 'nan'",
            "cat:-inf => BAD_NUMBER => must be a finite number, got '-inf'",
            "cat:1:inf => BAD_NUMBER => the stop of prompt 1 'cat' must be a number or -inf, got 'inf'",
            "cat:1:NaN => BAD_NUMBER => must be a number or -inf, got 'NaN'",
            "dog | cat:1:1e400 => BAD_NUMBER => the stop of prompt 2 'cat'",
            "cat:0 | dog:0.0 => ALL_ZERO_WEIGHTS => all weights are 0",
            "a ^ b:0 => ALL_ZERO_WEIGHTS => all weights of phrase 2 are 0",
            "a|b|c|d|e|f|g|h|i => TOO_MANY_PROMPTS => there are 9 prompts; at most 8 are allowed"})
    void reportsUserErrors(String input, PromptError.Kind kind, String message) {
        PromptError<?> e = error(PARSER.parseText(input, 10));

        assertEquals(kind, e.kind(), e.message());
        assertTrue(e.message().contains(message), e.message());
    }

    @Test
    void nullTextIsAnEmptyPrompt() {
        assertEquals(PromptError.Kind.EMPTY, error(PARSER.parseText(null, 0)).kind());
    }

    @Test
    void negativeChangeEveryIsRefused() {
        PromptError<?> e = error(PARSER.parseText("a", -1));

        assertEquals(PromptError.Kind.BAD_SCHEDULE, e.kind());
        assertTrue(e.message().contains("got -1"), e.message());
    }

    @Test
    void tooManyCharactersIsRefusedBeforeAnythingElse() {
        PromptParser parser = new PromptParser(PromptPolicy.defaults().withMaxChars(20), TokenBudget.unchecked());

        PromptError<?> e = error(parser.parseText("a".repeat(21), 0));

        assertEquals(PromptError.Kind.TOO_LONG, e.kind());
        assertEquals("the prompt is 21 characters; at most 20 are allowed", e.message());
    }

    @Test
    void promptLimitIsPerPhrase() {
        PromptParser parser = new PromptParser(PromptPolicy.defaults().withMaxPrompts(2), TokenBudget.unchecked());

        assertTrue(parser.parseText("a|b ^ c|d", 5).isParsed());
        PromptError<?> e = error(parser.parseText("a|b ^ c|d|e", 5));
        assertEquals("there are 3 prompts of phrase 2; at most 2 are allowed", e.message());
    }

    @ParameterizedTest(name = "\"{0}\" blocked by {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "a GORE scene => blocked word 'gore'",
            "fog | gore:-1 => blocked word 'gore'",
            "so much gore. => blocked word 'gore'",
            "\uFF47\uFF4F\uFF52\uFF45 fest => blocked word 'gore'",
            "two  words here => blocked word 'Two Words'",
            "a f*ck sign => blocked word 'f*ck'",
            "nude19 poster => blocked pattern 'nude\\d+'"})
    void moderationNamesTheRuleThatMatched(String input, String rule) {
        PromptParser parser = new PromptParser(PromptPolicy.defaults()
                .withBlockedWords(List.of("gore", "Two Words", "f*ck"))
                .withBlockedPatterns(List.of("nude\\d+")), TokenBudget.unchecked());

        PromptError<?> e = error(parser.parseText(input, 0));

        assertEquals(PromptError.Kind.BLOCKED, e.kind());
        assertTrue(e.message().endsWith("refused by the moderation rule: " + rule), e.message());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {"Al Gore's house", "gorgeous gorge", "gored9", "a fuck sign"})
    void moderationMatchesWholeWordsOnly(String input) {
        PromptParser parser = new PromptParser(PromptPolicy.defaults().withBlockedWords(List.of("gore", "f*ck")),
                TokenBudget.unchecked());

        assertEquals(input.startsWith("Al") ? PromptError.Kind.BLOCKED : null,
                parser.parseText(input, 0).error().map(PromptError::kind).orElse(null));
    }

    @Test
    void tokenCountAboveTheBudgetIsRefusedUnlessTruncating() {
        // one token per word stands in for CLIP's tokenizer
        TokenBudget budget = TokenBudget.clip(text -> text.split(" ").length);
        String longText = "word ".repeat(76).strip();

        PromptError<?> e = error(new PromptParser(PromptPolicy.defaults(), budget).parseText("ok | " + longText, 0));
        assertEquals(PromptError.Kind.TOO_MANY_TOKENS, e.kind());
        assertTrue(e.message().contains("prompt 2 'word word word word word word word wo...' is 76 tokens; CLIP takes at most 75 plus start/end"),
                e.message());

        assertTrue(new PromptParser(PromptPolicy.defaults(), budget).parseText("word ".repeat(75), 0).isParsed());
        assertTrue(new PromptParser(PromptPolicy.defaults(), budget.withTruncate(true)).parseText(longText, 0).isParsed());
    }

    @Test
    void tokenCounterSeesTheTextWithoutWeight() {
        StringBuilder seen = new StringBuilder();
        TokenBudget budget = TokenBudget.clip(text -> {
            seen.append('[').append(text).append(']');
            return 1;
        });

        new PromptParser(PromptPolicy.defaults(), budget).parseText("a cat:0.5 | fog:-1:-0.9", 0);

        assertEquals("[a cat][fog]", seen.toString());
    }

    @ParameterizedTest(name = "image prompts \"{0}\"")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "a.png | b.jpg:0.5 => a.png:1.0 | b.jpg:0.5",
            "https://x.org/a.png:2 => https://x.org/a.png:2.0",
            "C:\\img\\x.png => C:\\img\\x.png:1.0",
            "C:\\img\\x.png:-1:0.2 => C:\\img\\x.png:-1.0:0.2",
            "`` => ``"})
    void parsesImagePrompts(String input, String canonical) {
        assertEquals(canonical, PromptFormat.formatImagePrompts(PARSER.parseImagePrompts(input).orElseThrow()));
    }

    @Test
    void parsesNoisePrompts() {
        assertEquals(List.of(new NoisePrompt(12, 0.5), new NoisePrompt(7, 1.0), new NoisePrompt(-3, -2)),
                PARSER.parseNoisePrompts("12:0.5|7 | -3:-2").orElseThrow());
        assertEquals(List.of(), PARSER.parseNoisePrompts("  ").orElseThrow());
        assertEquals(List.of(), PARSER.parseNoisePrompts(null).orElseThrow());
    }

    @ParameterizedTest(name = "noise prompts \"{0}\": {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "12:0.5:1 => noise prompt 1 must be seed or seed:weight, got '12:0.5:1'",
            "1.5 => the seed of noise prompt 1 must be a whole number, got '1.5'",
            "7|x => the seed of noise prompt 2 must be a whole number, got 'x'",
            "99999999999999999999 => the seed of noise prompt 1 must be between",
            "3:inf => the weight of noise prompt 1 must be a finite number, got 'inf'",
            "3: => the weight of noise prompt 1 must be a finite number, got ''",
            "3||4 => noise prompt 2 is empty"})
    void reportsBadNoisePrompts(String input, String message) {
        PromptError<?> e = error(PARSER.parseNoisePrompts(input));

        assertTrue(e.message().startsWith(message), e.message());
    }

    @Test
    void imagePromptsAloneAreEnoughInTheCombinedParse() {
        PromptSet set = PARSER.parse("", "a.png", "", 0).orElseThrow();

        assertEquals(List.of(List.of()), set.schedule().phrases());
        assertEquals(List.of(new ImagePrompt("a.png", 1, NO_STOP)), set.images());
    }

    @Test
    void combinedParseNeedsSomethingWithWeight() {
        assertEquals(PromptError.Kind.EMPTY, error(PARSER.parse(" ", null, null, 0)).kind());
        assertEquals(PromptError.Kind.ALL_ZERO_WEIGHTS, error(PARSER.parse("cat:0", "a.png:0", "5:0", 0)).kind());
        assertTrue(PARSER.parse("cat:0", "a.png:0", "5:0.1", 0).isParsed());
    }

    @Test
    void combinedParseReportsTheFirstBadPart() {
        PromptError<?> e = error(PARSER.parse("a cat", "a.png | ", "", 0));

        assertEquals("image prompt 2 is empty: write it between the '|' separators", e.message());
    }
}
