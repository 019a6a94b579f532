package dev.vqclip.provenance;

import java.util.Optional;

/**
 * Image dimensions read straight from the first bytes of a PNG (IHDR) or JPEG (the SOFn frame header), before
 * any decoder runs: the decompression-bomb and 0x0 checks must not depend on a decoder getting that far.
 */
final class HeaderSize {
    private HeaderSize() {
    }

    /** {width, height} when the bytes start a PNG or JPEG whose header holds them; empty otherwise. */
    static Optional<long[]> of(byte[] b) {
        if (PngChunks.isPng(b) && b.length >= 24 && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R') {
            return Optional.of(new long[] {u32(b, 16), u32(b, 20)});
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            int pos = 2;
            while (pos + 4 <= b.length) {
                if ((b[pos] & 0xFF) != 0xFF) {
                    return Optional.empty();
                }
                int marker = b[pos + 1] & 0xFF;
                if (marker == 0xFF) {
                    pos++; // fill byte
                    continue;
                }
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    pos += 2; // markers without a length
                    continue;
                }
                if (marker == 0xD9 || marker == 0xDA) {
                    return Optional.empty(); // end of image or start of scan before any frame header
                }
                int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
                boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (frame && pos + 9 <= b.length) {
                    long height = ((b[pos + 5] & 0xFF) << 8) | (b[pos + 6] & 0xFF);
                    long width = ((b[pos + 7] & 0xFF) << 8) | (b[pos + 8] & 0xFF);
                    return Optional.of(new long[] {width, height});
                }
                if (length < 2) {
                    return Optional.empty();
                }
                pos += 2 + length;
            }
        }
        return Optional.empty();
    }

    private static long u32(byte[] b, int pos) {
        return ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }
}
