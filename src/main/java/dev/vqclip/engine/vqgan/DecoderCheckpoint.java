package dev.vqclip.engine.vqgan;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the decoder recomputes during backward instead of keeping ({@link CheckpointedDecode}). The full-resolution
 * level holds about three quarters of the decoder's activations at any size, and within each ResnetBlock the two
 * group norm + swish steps hold about half, for a tenth of its time.
 */
public enum DecoderCheckpoint {
    /** Keep every activation: the fastest step. */
    NONE("none"),
    /**
     * Recompute every group norm + swish, keep the convolutions' inputs (the lean runs of {@link StagePass}): about
     * half the decoder's activations for two cheap element-wise steps run twice.
     */
    NORMS("norms"),
    /** Recompute every stage: the least memory, one more decoder pass per step. */
    ALL("all");

    private final String flag;

    DecoderCheckpoint(String flag) {
        this.flag = flag;
    }

    /** The name used on the command line and in figures. */
    public String flag() {
        return flag;
    }

    /** Parses {@code none}, {@code norms} or {@code all}. */
    public static DecoderCheckpoint parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (DecoderCheckpoint c : values()) {
            if (c.flag.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("decoder checkpointing must be one of "
                + Arrays.stream(values()).map(DecoderCheckpoint::flag).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
