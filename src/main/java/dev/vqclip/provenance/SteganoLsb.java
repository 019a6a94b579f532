package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * The LSB layout of Stegano's {@code lsb.hide}/{@code lsb.reveal} (C. Bonhomme's Stegano, the library the
 * 2021 VQGAN+CLIP notebooks called), so their decoders read our images and we read theirs:
 * <ul>
 *   <li>the hidden string is {@code <len(message) in decimal>:<message>};</li>
 *   <li>each character becomes 8 bits, most significant first (so only characters up to U+00FF are
 *       representable: Stegano would emit more bits for larger code points and corrupt the stream);</li>
 *   <li>the bit string is padded with 0 to a multiple of 3;</li>
 *   <li>pixels are visited row by row from the top-left; each takes 3 bits in the least significant bits of R, G
 *       and B; alpha and all pixels after the message are left as they were.</li>
 * </ul>
 */
public final class SteganoLsb {
    /** Longest decimal length prefix we accept when revealing (Stegano has none; 10 digits is > 1 GB). */
    private static final int MAX_PREFIX_DIGITS = 10;

    private SteganoLsb() {
    }

    /** Pixels the message occupies: ceil(8 * len("<len>:<message>") / 3). */
    public static long pixelsNeeded(String message) {
        long chars = Integer.toString(message.length()).length() + 1L + message.length();
        return (chars * 8 + 2) / 3;
    }

    /**
     * A copy of the image with the message hidden (opaque images become TYPE_INT_RGB, others TYPE_INT_ARGB with
     * alpha kept).
     *
     * @throws ProvenanceException when the message is empty, has a character above U+00FF, or does not fit
     */
    public static BufferedImage hide(BufferedImage image, String message) throws ProvenanceException {
        if (message.isEmpty()) {
            throw new ProvenanceException("an LSB message must not be empty (Stegano refuses it too)");
        }
        for (int i = 0; i < message.length(); i++) {
            if (message.charAt(i) > 0xFF) {
                throw new ProvenanceException("an LSB message may only hold characters up to U+00FF (8 bits each); "
                        + "character " + i + " is U+" + String.format("%04X", (int) message.charAt(i))
                        + " (escape it, as JSON with \\uXXXX does)");
            }
        }
        int w = image.getWidth();
        int h = image.getHeight();
        long needed = pixelsNeeded(message);
        long available = (long) w * h;
        if (needed > available) {
            throw new ProvenanceException("LSB payload of " + message.length() + " bytes needs " + needed
                    + " pixels; image has " + available + " (" + w + "x" + h + ")");
        }
        String full = message.length() + ":" + message;
        int bitCount = full.length() * 8;
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int bit = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w && bit < bitCount; x++) {
                int p = row[x];
                int r = ((p >> 16) & 0xFE) | bitAt(full, bit);
                int g = ((p >> 8) & 0xFE) | bitAt(full, bit + 1);
                int b = (p & 0xFE) | bitAt(full, bit + 2);
                row[x] = (p & 0xFF000000) | (r << 16) | (g << 8) | b;
                bit += 3;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Bit i of the 8-bit MSB-first stream, 0 past the end (Stegano's padding). */
    private static int bitAt(String s, int i) {
        int c = i / 8;
        if (c >= s.length()) {
            return 0;
        }
        return (s.charAt(c) >> (7 - i % 8)) & 1;
    }

    /**
     * The hidden message, when the LSBs start with a decimal length, a colon and at least that many further
     * characters (each as a U+0000..U+00FF char); empty otherwise.
     */
    public static Optional<String> reveal(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        long capacityChars = (long) w * h * 3 / 8;
        StringBuilder prefix = new StringBuilder();
        StringBuilder message = null;
        long limit = -1;
        int[] row = new int[w];
        int current = 0;
        int count = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int[] lsbs = {(p >> 16) & 1, (p >> 8) & 1, p & 1};
                for (int lsb : lsbs) {
                    current = (current << 1) | lsb;
                    if (++count < 8) {
                        continue;
                    }
                    char c = (char) current;
                    current = 0;
                    count = 0;
                    if (message == null) {
                        if (c == ':') {
                            if (prefix.length() == 0) {
                                return Optional.empty();
                            }
                            limit = Long.parseLong(prefix.toString());
                            if (limit > capacityChars) {
                                return Optional.empty();
                            }
                            message = new StringBuilder((int) limit);
                            if (limit == 0) {
                                return Optional.of("");
                            }
                        } else if (c >= '0' && c <= '9' && prefix.length() < MAX_PREFIX_DIGITS) {
                            prefix.append(c);
                        } else {
                            return Optional.empty();
                        }
                    } else {
                        message.append(c);
                        if (message.length() == limit) {
                            return Optional.of(message.toString());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
