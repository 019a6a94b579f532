package dev.vqclip.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LumaShiftTest {
    private static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    @Property(tries = 300)
    void movesLumaByTheRequestedAmountWithinRoundingWhenNoChannelClips(
            @ForAll @IntRange(min = 20, max = 235) int r, @ForAll @IntRange(min = 20, max = 235) int g,
            @ForAll @IntRange(min = 20, max = 235) int b, @ForAll @DoubleRange(min = -6, max = 6) double delta) {
        int p = 0xFF000000 | (r << 16) | (g << 8) | b;
        int q = LumaShift.apply(p, delta);
        assertEquals(delta, luma(q) - luma(p), 0.5);
        assertEquals(0xFF000000, q & 0xFF000000, "alpha kept");
    }

    @Test
    void costsLessSquaredErrorThanAddingTheShiftToEveryChannel() {
        int[] pixels = {0xFF808080};
        float[] mark = {4f};
        // equal addition of 4 to each channel costs 16 per channel
        assertTrue(LumaShift.meanSquaredError(pixels, mark, 1.0) < 16, "min-norm split is cheaper");
    }

    @Test
    void aSaturatedGreenStillCarriesAnUpwardLumaShiftInRedAndBlue() {
        int p = 0xFF40FF40;
        int q = LumaShift.apply(p, 3.0);
        assertEquals(0xFF, (q >> 8) & 0xFF, "green stays at its bound");
        assertEquals(3.0, luma(q) - luma(p), 0.5);
    }
}
