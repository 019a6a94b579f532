package dev.vqclip.provenance;

import java.util.ArrayList;
import java.util.List;

/**
 * The rate-1/2, constraint-length-7 convolutional code with generators 171 and 133 (octal), the NASA/CCSDS
 * "standard" code, zero-terminated; decoded with a soft-decision Viterbi decoder (A. Viterbi, 1967). About 5 dB of
 * coding gain over sending the bits plain, which is what lets the watermark stay faint. {@link #decodeList} also
 * gives the runners-up, for a CRC to choose among.
 */
final class ConvolutionalCode {
    static final int CONSTRAINT = 7;
    private static final int G1 = 0171;
    private static final int G2 = 0133;
    private static final int STATES = 1 << (CONSTRAINT - 1);

    private ConvolutionalCode() {
    }

    static int codedLength(int messageBits) {
        return 2 * (messageBits + CONSTRAINT - 1);
    }

    static boolean[] encode(boolean[] message) {
        boolean[] out = new boolean[codedLength(message.length)];
        int register = 0;
        for (int i = 0; i < message.length + CONSTRAINT - 1; i++) {
            int bit = i < message.length && message[i] ? 1 : 0;
            register = ((register << 1) | bit) & ((1 << CONSTRAINT) - 1);
            out[2 * i] = (Integer.bitCount(register & G1) & 1) == 1;
            out[2 * i + 1] = (Integer.bitCount(register & G2) & 1) == 1;
        }
        return out;
    }

    /**
     * Maximum-likelihood message for soft code values (positive = bit 1, magnitude = confidence), maximising the
     * correlation between the soft values and the +-1 code sequence.
     */
    static boolean[] decode(double[] soft, int messageBits) {
        int steps = messageBits + CONSTRAINT - 1;
        if (soft.length != 2 * steps) {
            throw new IllegalArgumentException("expected " + 2 * steps + " soft values, got " + soft.length);
        }
        double[] metric = new double[STATES];
        java.util.Arrays.fill(metric, Double.NEGATIVE_INFINITY);
        metric[0] = 0;
        int[][] from = new int[steps][STATES];
        for (int t = 0; t < steps; t++) {
            double[] next = new double[STATES];
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            int maxInput = t < messageBits ? 1 : 0;
            for (int state = 0; state < STATES; state++) {
                if (metric[state] == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int bit = 0; bit <= maxInput; bit++) {
                    int register = (state << 1) | bit;
                    double s1 = (Integer.bitCount(register & G1) & 1) == 1 ? 1 : -1;
                    double s2 = (Integer.bitCount(register & G2) & 1) == 1 ? 1 : -1;
                    double m = metric[state] + s1 * soft[2 * t] + s2 * soft[2 * t + 1];
                    int target = register & (STATES - 1);
                    if (m > next[target]) {
                        next[target] = m;
                        from[t][target] = state;
                    }
                }
            }
            metric = next;
        }
        boolean[] message = new boolean[messageBits];
        int state = 0;
        for (int t = steps - 1; t >= 0; t--) {
            if (t < messageBits) {
                message[t] = (state & 1) == 1;
            }
            state = from[t][state];
        }
        return message;
    }

    /**
     * The {@code size} most likely messages, best first: the parallel list Viterbi algorithm (N. Seshadri and
     * C.-E. W. Sundberg, "List Viterbi decoding algorithms with applications", IEEE Trans. Commun. 1994), which
     * keeps the {@code size} best paths into every state instead of one. With an outer CRC the list recovers
     * most frames whose best path is wrong by a few bits; each extra path is one more chance for noise to pass
     * the CRC, so callers keep lists short and use them sparingly.
     */
    static List<boolean[]> decodeList(double[] soft, int messageBits, int size) {
        int steps = messageBits + CONSTRAINT - 1;
        if (soft.length != 2 * steps) {
            throw new IllegalArgumentException("expected " + 2 * steps + " soft values, got " + soft.length);
        }
        double[][] metric = new double[STATES][size];
        for (double[] m : metric) {
            java.util.Arrays.fill(m, Double.NEGATIVE_INFINITY);
        }
        metric[0][0] = 0;
        // from[t][state][rank] = predecessor state * size + predecessor rank
        int[][][] from = new int[steps][STATES][size];
        double[] candidates = new double[2 * size];
        int[] origin = new int[2 * size];
        for (int t = 0; t < steps; t++) {
            double[][] next = new double[STATES][size];
            int maxInput = t < messageBits ? 1 : 0;
            for (int target = 0; target < STATES; target++) {
                int bit = target & 1;
                java.util.Arrays.fill(next[target], Double.NEGATIVE_INFINITY);
                if (bit > maxInput) {
                    continue;
                }
                // the paths through the two predecessor states, each list already best first: merge them
                int[] count = new int[2];
                for (int high = 0; high <= 1; high++) {
                    int state = (target >> 1) | (high << (CONSTRAINT - 2));
                    int register = (state << 1) | bit;
                    double branch = ((Integer.bitCount(register & G1) & 1) == 1 ? soft[2 * t] : -soft[2 * t])
                            + ((Integer.bitCount(register & G2) & 1) == 1 ? soft[2 * t + 1] : -soft[2 * t + 1]);
                    while (count[high] < size && metric[state][count[high]] != Double.NEGATIVE_INFINITY) {
                        candidates[high * size + count[high]] = metric[state][count[high]] + branch;
                        origin[high * size + count[high]] = state * size + count[high];
                        count[high]++;
                    }
                }
                int a = 0;
                int b = 0;
                for (int r = 0; r < size && a + b < count[0] + count[1]; r++) {
                    boolean takeA = b >= count[1] || (a < count[0] && candidates[a] >= candidates[size + b]);
                    int k = takeA ? a++ : size + b++;
                    next[target][r] = candidates[k];
                    from[t][target][r] = origin[k];
                }
            }
            metric = next;
        }
        List<boolean[]> out = new ArrayList<>();
        for (int rank = 0; rank < size && metric[0][rank] != Double.NEGATIVE_INFINITY; rank++) {
            boolean[] message = new boolean[messageBits];
            int state = 0;
            int r = rank;
            for (int t = steps - 1; t >= 0; t--) {
                if (t < messageBits) {
                    message[t] = (state & 1) == 1;
                }
                int back = from[t][state][r];
                state = back / size;
                r = back % size;
            }
            out.add(message);
        }
        return out;
    }
}
