package dev.vqclip.provenance;

import java.util.OptionalLong;

/**
 * The 64 bits the robust watermark carries: a 40-bit job id followed by its CRC-24 (the OpenPGP CRC, RFC 4880
 * section 6.1: polynomial 0x864CFB, initial value 0xB704CE), most significant bit first. The CRC is what tells a
 * real mark from noise: a random 64-bit word passes with probability 2^-24.
 */
public final class WatermarkPayload {
    public static final int ID_BITS = 40;
    public static final int CRC_BITS = 24;
    public static final int BITS = ID_BITS + CRC_BITS;
    public static final long MAX_JOB_ID = (1L << ID_BITS) - 1;

    private WatermarkPayload() {
    }

    public static boolean[] encode(long jobId) {
        if (jobId < 0 || jobId > MAX_JOB_ID) {
            throw new IllegalArgumentException("a watermarked job id must be in 0.." + MAX_JOB_ID + " (40 bits), got " + jobId);
        }
        long word = (jobId << CRC_BITS) | crc24(jobId);
        boolean[] bits = new boolean[BITS];
        for (int i = 0; i < BITS; i++) {
            bits[i] = ((word >>> (BITS - 1 - i)) & 1) == 1;
        }
        return bits;
    }

    /** The job id when the CRC matches, else empty. */
    public static OptionalLong decode(boolean[] bits) {
        if (bits.length != BITS) {
            throw new IllegalArgumentException("a watermark payload has " + BITS + " bits, got " + bits.length);
        }
        long word = 0;
        for (boolean b : bits) {
            word = (word << 1) | (b ? 1 : 0);
        }
        long id = word >>> CRC_BITS;
        long crc = word & ((1L << CRC_BITS) - 1);
        return crc == crc24(id) ? OptionalLong.of(id) : OptionalLong.empty();
    }

    /** CRC-24 of the id's 5 bytes, big-endian. */
    static long crc24(long id) {
        byte[] bytes = new byte[ID_BITS / 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (id >>> (8 * (bytes.length - 1 - i)));
        }
        return crc24(bytes);
    }

    static long crc24(byte[] data) {
        long crc = 0xB704CEL;
        for (byte value : data) {
            crc ^= (value & 0xFFL) << 16;
            for (int i = 0; i < 8; i++) {
                crc <<= 1;
                if ((crc & 0x1000000L) != 0) {
                    crc ^= 0x864CFBL;
                }
            }
        }
        return crc & 0xFFFFFFL;
    }
}
