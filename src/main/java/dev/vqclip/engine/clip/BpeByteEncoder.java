package dev.vqclip.engine.clip;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character table, as OpenAI CLIP's {@code bytes_to_unicode}: printable Latin-1 bytes
 * ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 bytes (controls, space, NBSP, soft hyphen) are
 * moved to U+0100 upwards in byte order, so that every byte is a visible, non-space character the BPE can merge.
 */
final class BpeByteEncoder {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The characters in the order CLIP lists them in its vocabulary: the printable bytes first, then the moved ones. */
    private static final char[] VOCAB_ORDER = new char[256];

    static {
        int position = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
                VOCAB_ORDER[position++] = (char) b;
            }
        }
        int moved = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_TO_CHAR[b] = (char) (256 + moved++);
                VOCAB_ORDER[position++] = BYTE_TO_CHAR[b];
            }
        }
    }

    private BpeByteEncoder() {
    }

    /** The UTF-8 bytes of {@code token}, each replaced by its table character. */
    static String encode(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** The 256 byte characters in vocabulary order (index = token id of the character in the real vocabulary). */
    static char[] vocabularyOrder() {
        return VOCAB_ORDER.clone();
    }

    /** Whether {@code c} is the image of some byte, i.e. may appear in a merges file. */
    static boolean isByteCharacter(char c) {
        for (char x : VOCAB_ORDER) {
            if (x == c) {
                return true;
            }
        }
        return false;
    }
}
