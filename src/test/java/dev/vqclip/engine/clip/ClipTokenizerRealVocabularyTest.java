package dev.vqclip.engine.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The port against token ids produced by OpenAI's clip.tokenize with the shipped vocabulary. */
class ClipTokenizerRealVocabularyTest {

    private static ClipTokenizer tokenizer;

    private static String missing;

    @BeforeAll
    static void loadVocabulary() throws IOException {
        String property = System.getProperty("vqclip.bpe.path");
        if (property != null && Files.isRegularFile(Path.of(property))) {
            tokenizer = ClipTokenizer.fromMergesFile(Path.of(property));
        } else {
            missing = "real CLIP vocabulary not found (system property vqclip.bpe.path = " + property + "); skipping";
        }
    }

    /** Per test, so that every test shows up as skipped when the vocabulary is absent. */
    @BeforeEach
    void requireVocabulary() {
        Assumptions.assumeTrue(tokenizer != null, missing);
    }

    private static JsonNode fixture() throws IOException {
        try (InputStream in = ClipTokenizerRealVocabularyTest.class.getResourceAsStream("/fixtures/clip_tokenizer_cases.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : fixture().get("cases")) {
            long[] tokens = new long[c.get("tokens").size()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = c.get("tokens").get(i).asLong();
            }
            out.add(Arguments.of(c.get("text").asText(), tokens));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenizesLikeUpstream(String text, long[] expected) {
        long[] row = tokenizer.tokenize(List.of(text), 77, false)[0];

        long[] padded = new long[77];
        System.arraycopy(expected, 0, padded, 0, expected.length);
        assertArrayEquals(padded, row);
        assertEquals(expected.length - 2, tokenizer.countTokens(text));
    }

    @Test
    void truncationKeepsSeventySixTokensAndEndsWithEndOfText() throws IOException {
        JsonNode expected = fixture().get("truncate_case").get("tokens");
        String text = String.join(" ", Collections.nCopies(100, "word"));

        long[] row = tokenizer.tokenize(List.of(text), 77, true)[0];

        assertEquals(expected.size(), row.length);
        for (int i = 0; i < row.length; i++) {
            assertEquals(expected.get(i).asLong(), row[i], "position " + i);
        }
    }

    @Test
    void tooLongWithoutTruncationNamesTheTokenCount() {
        String text = String.join(" ", Collections.nCopies(100, "word"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.tokenize(List.of("a cat", text), 77, false));
        assertTrue(e.getMessage().contains("is 100 tokens; CLIP takes at most 75 plus start/end"), e.getMessage());
    }

    @Test
    void exactlySeventyFiveTokensFit() {
        String text = String.join(" ", Collections.nCopies(75, "word"));

        long[] row = tokenizer.tokenize(List.of(text), 77, false)[0];

        assertEquals(49407, row[76]);
    }

    @Test
    void vocabularyHasUpstreamSizeAndSpecialIds() {
        assertEquals(49408, tokenizer.vocabSize());
        assertEquals(49406, tokenizer.sot());
        assertEquals(49407, tokenizer.eot());
        assertEquals("!", tokenizer.symbol(0));
        assertEquals("!</w>", tokenizer.symbol(256));
        assertFalse(tokenizer.isReduced());
    }

    @ParameterizedTest(name = "\"{0}\" tokenizes like \"{1}\"")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "don\u2019t stop => don't stop",
            "\u201Cquoted\u201D => \"quoted\"",
            "\uFB01ne \uFB02ower => fine flower",
            "\uFF21\uFF22\uFF23 => abc",
            "cats &amp;amp; dogs => cats & dogs",
            "caf\u0065\u0301 => caf\u00e9",
            "a\u00a0cat\u3000sat => a cat sat",
            "A <|endoftext|> B => a <|ENDOFTEXT|> b"})
    void cleaningMakesVariantsEqual(String variant, String plain) {
        assertArrayEquals(tokenizer.encode(plain), tokenizer.encode(variant));
    }

    @Test
    void nonAsciiUsesByteLevelSymbols() {
        int[] ids = tokenizer.encode("\uD83E\uDD8A fox");

        assertTrue(ids.length > 1);
        for (int id : ids) {
            assertTrue(id >= 0 && id < 49406, "ordinary id " + id);
        }
        assertEquals("fox</w>", tokenizer.symbol(ids[ids.length - 1]));
    }

    @Test
    void literalSpecialTokensBecomeSpecialIds() {
        assertEquals(49407, tokenizer.encode("a <|endoftext|> b")[1]);
        assertArrayEquals(new int[] {49406}, tokenizer.encode("<|startoftext|>"));
    }
}
