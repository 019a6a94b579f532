package dev.vqclip.engine.clip;

import java.math.BigInteger;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text clean-up of OpenAI CLIP's {@code SimpleTokenizer.encode}: {@code basic_clean} (ftfy.fix_text, then
 * {@code html.unescape} twice, strip), {@code whitespace_clean} (runs of whitespace to one space, strip) and
 * lower-casing.
 *
 * <p>ftfy is approximated by the parts of its default {@code fix_text} that matter for typed prompts: HTML
 * entities are unescaped once more when the text has no '&lt;' (ftfy's {@code unescape_html="auto"}), Latin
 * ligatures are split (ﬁ → fi), full-width forms become their ASCII/NFKC equivalents, curly quotes are uncurled
 * (so "don’t" tokenises like "don't"), invisible control characters are removed, and the text is NFC-normalised.
 * Mojibake repair (ftfy's {@code fix_encoding}) is not done: such input tokenises differently from upstream.
 *
 * <p>{@link #unescapeHtml} follows Python's {@code html.unescape}: numeric references (with the Windows-1252
 * remapping of 0x80-0x9F, U+FFFD for surrogates and values above U+10FFFF, removal of invalid code points) and
 * named references. Named entities are the HTML 4 Latin-1 set (which, like Python, also match without ';' and
 * as a prefix, e.g. "&amp;copy2024"), plus a set of common typographic ones that need the ';'.
 */
final class ClipTokenizerCleaner {

    private static final Pattern CHARREF = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /** HTML 4 Latin-1 entity names for U+00A0..U+00FF, in code point order. */
    private static final String LATIN1_NAMES = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg"
            + " macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave"
            + " Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde"
            + " Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute"
            + " acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve"
            + " oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

    /** Common entities that only match with their ';' (name, code point). */
    private static final Object[][] SEMICOLON_ONLY = {
            {"apos", 0x27}, {"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161}, {"Yuml", 0x178},
            {"fnof", 0x192}, {"circ", 0x2C6}, {"tilde", 0x2DC}, {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
            {"zwnj", 0x200C}, {"zwj", 0x200D}, {"lrm", 0x200E}, {"rlm", 0x200F}, {"ndash", 0x2013}, {"mdash", 0x2014},
            {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
            {"bdquo", 0x201E}, {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022}, {"hellip", 0x2026},
            {"permil", 0x2030}, {"prime", 0x2032}, {"Prime", 0x2033}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A},
            {"euro", 0x20AC}, {"trade", 0x2122}, {"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192},
            {"darr", 0x2193}, {"harr", 0x2194}, {"minus", 0x2212}, {"infin", 0x221E}, {"asymp", 0x2248},
            {"ne", 0x2260}, {"le", 0x2264}, {"ge", 0x2265}, {"spades", 0x2660}, {"clubs", 0x2663},
            {"hearts", 0x2665}, {"diams", 0x2666}, {"star", 0x2606}, {"check", 0x2713}};

    /** Python's html5 table subset: key as written after '&' (with or without ';'). */
    private static final Map<String, String> NAMED = new HashMap<>();
    /** Python's {@code _invalid_charrefs}: numeric references that HTML remaps (NUL, CR, Windows-1252 0x80-0x9F). */
    private static final String CP1252_80_9F = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039"
            + "\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153"
            + "\u009D\u017E\u0178";

    static {
        String[] names = LATIN1_NAMES.split(" ");
        for (int i = 0; i < names.length; i++) {
            legacy(names[i], String.valueOf((char) (0xA0 + i)));
        }
        legacy("amp", "&");
        legacy("lt", "<");
        legacy("gt", ">");
        legacy("quot", "\"");
        legacy("AMP", "&");
        legacy("LT", "<");
        legacy("GT", ">");
        legacy("QUOT", "\"");
        legacy("COPY", "\u00A9");
        legacy("REG", "\u00AE");
        for (Object[] entry : SEMICOLON_ONLY) {
            NAMED.put(entry[0] + ";", Character.toString((int) entry[1]));
        }
    }

    private ClipTokenizerCleaner() {
    }

    private static void legacy(String name, String value) {
        NAMED.put(name, value);
        NAMED.put(name + ";", value);
    }

    /** The whole clean-up: what upstream's {@code encode} feeds to the pre-token regex. */
    static String clean(String text) {
        String fixed = fixText(text);
        String unescaped = unescapeHtml(unescapeHtml(fixed));
        return WHITESPACE.matcher(unescaped).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
    }

    /** The ftfy subset described in the class comment. */
    static String fixText(String text) {
        String s = text.indexOf('<') < 0 ? unescapeHtml(text) : text;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\uFB00' -> out.append("ff");
                case '\uFB01' -> out.append("fi");
                case '\uFB02' -> out.append("fl");
                case '\uFB03' -> out.append("ffi");
                case '\uFB04' -> out.append("ffl");
                case '\uFB05' -> out.append("\u017Ft");
                case '\uFB06' -> out.append("st");
                case '\u0132' -> out.append("IJ");
                case '\u0133' -> out.append("ij");
                case '\u3000' -> out.append(' ');
                case '\u02BC', '\u2018', '\u2019', '\u201A', '\u201B' -> out.append('\'');
                case '\u201C', '\u201D', '\u201E', '\u201F' -> out.append('"');
                default -> {
                    if (c >= '\uFF01' && c <= '\uFFEE') {
                        out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
                    } else if (!isInvisibleControl(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /** ftfy's {@code remove_control_chars} (BMP part): C0 controls other than tab/newlines, DEL, BOM and friends. */
    private static boolean isInvisibleControl(char c) {
        return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F)
                || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
    }

    /** Python's {@code html.unescape} over the entity subset in the class comment. */
    static String unescapeHtml(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replaceReference(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replaceReference(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
            String digits = ref.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            BigInteger value = new BigInteger(digits, hex ? 16 : 10);
            if (value.compareTo(BigInteger.valueOf(0x10FFFF)) > 0) {
                return "\uFFFD";
            }
            return numericReference(value.intValue());
        }
        String named = NAMED.get(ref);
        if (named != null) {
            return named;
        }
        // the longest entity name (one of the ';'-less legacy ones) that is a prefix of the reference
        for (int x = ref.length() - 1; x > 1; x--) {
            String prefix = NAMED.get(ref.substring(0, x));
            if (prefix != null) {
                return prefix + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    private static String numericReference(int cp) {
        if (cp == 0) {
            return "\uFFFD";
        }
        if (cp == 0x0D) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            return String.valueOf(CP1252_80_9F.charAt(cp - 0x80));
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            return "\uFFFD";
        }
        boolean invalid = (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
        return invalid ? "" : Character.toString(cp);
    }
}
