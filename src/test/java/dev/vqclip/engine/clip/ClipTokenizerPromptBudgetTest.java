package dev.vqclip.engine.clip;

import dev.vqclip.prompt.PromptError;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.TokenBudget;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenizer as the prompt parser's token counter: what the parser accepts, the tokenizer can frame. */
class ClipTokenizerPromptBudgetTest {

    private static final ClipTokenizer TINY = ClipTokenizer.tiny64();
    /** The tiny fixture CLIP has a context of 16: 14 tokens plus start/end. */
    private static final TokenBudget TINY_BUDGET = new TokenBudget(TINY::countTokens, 14, false);

    @Test
    void acceptedPromptsFitTheContext() {
        String text = "the cat in the snow";
        PromptParser parser = new PromptParser(PromptPolicy.defaults(), TINY_BUDGET);

        String parsed = parser.parseText(text + ":0.5", 0).orElseThrow().at(0).get(0).text();

        assertEquals(text, parsed);
        long[] row = TINY.tokenize(List.of(parsed), 16, false)[0];
        assertEquals(TINY.sot(), row[0]);
    }

    @Test
    void overlongPromptsAreUserErrorsNamingTheCount() {
        String text = "quick brown foxes jumping";
        int count = TINY.countTokens(text);
        assertTrue(count > 14, "the sample must exceed the tiny context, has " + count);

        PromptError<?> e = new PromptParser(PromptPolicy.defaults(), TINY_BUDGET).parseText(text, 0).error().orElseThrow();

        assertEquals(PromptError.Kind.TOO_MANY_TOKENS, e.kind());
        assertTrue(e.message().contains("is " + count + " tokens; CLIP takes at most 14 plus start/end"), e.message());
        assertTrue(new PromptParser(PromptPolicy.defaults(), TINY_BUDGET.withTruncate(true)).parseText(text, 0).isParsed());
    }
}
