package dev.vqclip.engine.optimize;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cutout augmentations of nerdyrodent's generate.py ("latest" cut method, {@code -aug} codes), with the
 * kornia 0.5.4 parameter ranges it configures. They are re-implemented as plain tensor ops, not copied from
 * kornia, so they follow its ranges rather than its bits.
 */
enum Augmentation {
    /** RandomAffine: rotation U(±15°), translation U(±10 %) of each side, x-shear U(±5°), p 0.7. */
    AFFINE("Af"),
    /** RandomPerspective(0.7): each corner moves inwards by U[0,1)·0.7·(W/2, H/2), p 0.7. */
    PERSPECTIVE("Pe"),
    /** ColorJitter(brightness 0.1, contrast 0.1, saturation 0.1, hue 0.1) in random order, p 0.7. */
    JITTER("Ji"),
    /** RandomErasing(scale 0.1–0.4, ratio 0.3–3.33, same_on_batch), filled with 0, p 0.7. */
    ERASING("Er"),
    /** RandomHorizontalFlip, p 0.5. */
    FLIP("Hf"),
    /** RandomSharpness(0.3): blend factor U[0, 0.3] between the 3×3-smoothed and the original image, p 0.5. */
    SHARPNESS("Sh");

    /** nerdyrodent's default list: {@code Af Pe Ji Er}. */
    public static final List<Augmentation> DEFAULTS = List.of(AFFINE, PERSPECTIVE, JITTER, ERASING);

    private final String code;

    Augmentation(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    boolean geometric() {
        return this == AFFINE || this == PERSPECTIVE || this == FLIP;
    }

    /** Parses a generate.py code such as {@code Af}; case-insensitive. */
    public static Augmentation parse(String code) {
        for (Augmentation a : values()) {
            if (a.code.equalsIgnoreCase(code == null ? "" : code.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown augmentation '" + code + "': expected one of "
                + Arrays.stream(values()).map(Augmentation::code).toList() + " (case-insensitive)");
    }

    @Override
    public String toString() {
        return code.toLowerCase(Locale.ROOT);
    }
}
