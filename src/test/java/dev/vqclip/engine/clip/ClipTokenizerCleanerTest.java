package dev.vqclip.engine.clip;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Python html.unescape and CLIP's basic_clean/whitespace_clean, case by case. */
class ClipTokenizerCleanerTest {

    @ParameterizedTest(name = "unescape \"{0}\" -> \"{1}\"")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', emptyValue = "", value = {
            "a &amp; b => a & b",
            "a &amp b => a & b",
            "&copy2024 => \u00a92024",
            "&#65;&#x42;&#X43 => ABC",
            "&#128; => \u20ac",
            "&#0; => \ufffd",
            "&#xD800; => \ufffd",
            "&#99999999999999; => \ufffd",
            "x&#1;y => xy",
            "&hellip; => \u2026",
            "&hellip => &hellip",
            "&bogus; => &bogus;",
            "&eacute;t&eacute => \u00e9t\u00e9",
            "&amp;amp; => &amp;",
            "AT&T => AT&T"})
    void unescapesLikePython(String in, String out) {
        assertEquals(out, ClipTokenizerCleaner.unescapeHtml(in));
    }

    @ParameterizedTest(name = "clean \"{0}\" -> \"{1}\"")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', emptyValue = "", value = {
            "`  multiple   spaces\tand CAPS  ` => multiple spaces and caps",
            "`line\nbreaks\r\nhere` => line breaks here",
            "cats &amp;amp;amp; dogs => cats & dogs",
            "<b> &amp;amp;amp; => <b> &amp;",
            "\ufeffbom\u0007bell => bombell",
            "`   ` => ``"})
    void cleansLikeBasicAndWhitespaceClean(String in, String out) {
        assertEquals(out, ClipTokenizerCleaner.clean(in));
    }
}
