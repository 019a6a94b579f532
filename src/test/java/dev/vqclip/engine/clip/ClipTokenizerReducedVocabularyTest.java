package dev.vqclip.engine.clip;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reduced vocabulary layout, its generator and the bundled 64-id vocabulary of the tiny fixture model. */
class ClipTokenizerReducedVocabularyTest {

    private static final ClipTokenizer TINY = ClipTokenizer.tiny64();

    @Test
    void tinyVocabularyMatchesTheTinyFixtureModel() {
        // tiny_configs.json clip_tiny: vocab_size 64, SOT 62, EOT 63, pad 0
        assertEquals(64, TINY.vocabSize());
        assertEquals(62, TINY.sot());
        assertEquals(63, TINY.eot());
        assertEquals(BpeVocabulary.PAD, TINY.symbol(0));
        assertTrue(TINY.isReduced());
    }

    @Property(tries = 300)
    void everyTextGivesOrdinaryIdsBetweenOneAndSixtyOne(@ForAll String text) {
        for (int id : TINY.encode(text.replace("<|", ""))) {
            assertTrue(id >= 1 && id <= 61, "id " + id + " for " + text);
        }
    }

    @Test
    void bundledResourcesAreTheGeneratorOutput() throws IOException {
        for (String resource : List.of(ClipTokenizer.TINY_64_RESOURCE, "/fixtures-extra/clip_tiny_vocab.txt.gz")) {
            try (InputStream in = getClass().getResourceAsStream(resource)) {
                assertArrayEquals(BpeTinyVocabulary.generateGzip(64), in.readAllBytes(), resource);
            }
        }
    }

    @Test
    void generationIsDeterministicAndLargerSizesExtendSmallerOnes() {
        List<String> small = BpeTinyVocabulary.generate(64);
        List<String> large = BpeTinyVocabulary.generate(120);

        assertEquals(small, BpeTinyVocabulary.generate(64));
        assertEquals(small.subList(1, small.size()), large.subList(1, small.size()));
        assertEquals(120, ClipTokenizer.reduced(120).vocabSize());
        assertEquals(BpeTinyVocabulary.MIN_SIZE, ClipTokenizer.reduced(BpeTinyVocabulary.MIN_SIZE).vocabSize());
    }

    @Test
    void mergesApplyByRank() {
        // the generator's first merges are "h e</w>" then "t he</w>", so "the" is one symbol
        int[] ids = TINY.encode("The");

        assertEquals(1, ids.length);
        assertEquals("the</w>", TINY.symbol(ids[0]));
        assertEquals("c", TINY.symbol(TINY.encode("cat")[0]));
        assertEquals("t</w>", TINY.symbol(TINY.encode("cat")[2]));
    }

    @Test
    void charactersOutsideTheAlphabetAreDropped() {
        assertArrayEquals(TINY.encode("cat k"), TINY.encode("cat, 4k!"));
        assertEquals(0, TINY.encode("123 !? \u00e9").length);
        // dropping the final character moves the end-of-word marker to the last kept one
        assertArrayEquals(TINY.encode("ca"), TINY.encode("ca7"));
    }

    @Test
    void tokenizeUsesTheCallersContextLength() {
        long[][] rows = TINY.tokenize(List.of("a cat", "dog"), 16, false);

        assertEquals(2, rows.length);
        assertEquals(16, rows[0].length);
        assertEquals(62, rows[0][0]);
        int[] ids = TINY.encode("a cat");
        assertEquals(63, rows[0][ids.length + 1]);
        assertEquals(0, rows[0][15]);
    }

    @Test
    void tooLongForTheTinyContextIsReportedOrTruncated() {
        String text = "abcdefghijklmnopqrstuvwxyz";
        int count = TINY.countTokens(text);
        assertTrue(count > 14);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TINY.tokenize(List.of(text), 16, false));
        assertTrue(e.getMessage().contains("is " + count + " tokens; CLIP takes at most 14 plus start/end"), e.getMessage());

        long[] row = TINY.tokenize(List.of(text), 16, true)[0];
        assertEquals(63, row[15]);
        int[] ids = TINY.encode(text);
        for (int i = 1; i < 15; i++) {
            assertEquals(ids[i - 1], row[i]);
        }
    }

    @Test
    void modelConfigSuppliesTheContextAndMustMatchTheVocabulary() {
        ClipConfig tinyModel = new ClipConfig(32, 32, 2, 128, 8, 16, 64, 128, 2, 2);
        ClipConfig realModel = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 8, 12);

        assertEquals(16, TINY.tokenize(List.of("a cat"), tinyModel, false)[0].length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TINY.tokenize(List.of("a cat"), realModel, false));
        assertTrue(e.getMessage().contains("this vocabulary has 64 ids (SOT 62, EOT 63) but the CLIP model embeds 49408"),
                e.getMessage());
    }

    @Test
    void tooSmallAVocabularyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpeTinyVocabulary.generate(54));
        assertTrue(e.getMessage().contains("at least 55"), e.getMessage());
    }

    @Test
    void headerSizeMustMatchTheMerges() {
        List<String> lines = new ArrayList<>(BpeTinyVocabulary.generate(64));
        lines.remove(lines.size() - 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromLines(lines));
        assertTrue(e.getMessage().contains("vocab_size=64, which needs 9 merges, but the file has 8"), e.getMessage());
    }

    @Test
    void mergeOfUnknownSymbolsNamesTheLine() {
        List<String> lines = List.of("#vqclip-tiny-vocab vocab_size=56 alphabet=abcdefghijklmnopqrstuvwxyz", "ab c");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromLines(lines));
        assertTrue(e.getMessage().contains("line 2 merges 'ab c', but 'ab' is not a symbol"), e.getMessage());
    }

    @Test
    void alphabetMustBeByteCharacters() {
        List<String> lines = List.of("#vqclip-tiny-vocab vocab_size=5 alphabet=\u4e00");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.fromLines(lines));
        assertTrue(e.getMessage().contains("is not a byte character"), e.getMessage());
    }

    @Test
    void gzipStreamIsRead() throws IOException {
        ClipTokenizer fromStream = ClipTokenizer.fromMergesStream(new ByteArrayInputStream(BpeTinyVocabulary.generateGzip(70)));

        assertEquals(70, fromStream.vocabSize());
        assertArrayEquals(ClipTokenizer.reduced(70).encode("a fox in the snow"), fromStream.encode("a fox in the snow"));
    }
}
