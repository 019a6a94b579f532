package dev.vqclip.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SteganoLsbTest {

    /**
     * "hi" is hidden as "2:hi": '2' 0x32 = 00110010, ':' 0x3A = 00111010, 'h' 0x68 = 01101000, 'i' 0x69 = 01101001,
     * 32 bits padded with one 0 to 33, i.e. these eleven R,G,B triplets, written into pixels row by row. Worked
     * out by hand from the layout of Stegano's lsb.hide, not by running our code.
     */
    private static final int[][] HI_TRIPLETS = {
            {0, 0, 1}, {1, 0, 0}, {1, 0, 0}, {0, 1, 1}, {1, 0, 1}, {0, 0, 1},
            {1, 0, 1}, {0, 0, 0}, {0, 1, 1}, {0, 1, 0}, {0, 1, 0}};

    @Test
    void hidesTheHandWorkedBitsOfAShortMessageRowByRowInTheLowBitsOfRgb() throws ProvenanceException {
        // 4 x 3 image, every pixel (100, 101, 102) with alpha 200: LSBs 0, 1, 0
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, (200 << 24) | (100 << 16) | (101 << 8) | 102);
            }
        }
        BufferedImage hidden = SteganoLsb.hide(image, "hi");
        for (int k = 0; k < 12; k++) {
            int p = hidden.getRGB(k % 4, k / 4);
            assertEquals(200, p >>> 24, "alpha untouched at pixel " + k);
            if (k < HI_TRIPLETS.length) {
                assertEquals(100 | HI_TRIPLETS[k][0], (p >> 16) & 0xFF, "R of pixel " + k);
                assertEquals(100 | HI_TRIPLETS[k][1], (p >> 8) & 0xFF, "G of pixel " + k);
                assertEquals(102 | HI_TRIPLETS[k][2], p & 0xFF, "B of pixel " + k);
            } else {
                assertEquals((200 << 24) | (100 << 16) | (101 << 8) | 102, p, "pixels after the message stay as they were");
            }
        }
        assertEquals(Optional.of("hi"), SteganoLsb.reveal(hidden));
    }

    @Test
    void revealsAMessageWrittenByHandInTheLayout() {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < HI_TRIPLETS.length; k++) {
            int[] t = HI_TRIPLETS[k];
            image.setRGB(k % 4, k / 4, ((50 + t[0]) << 16) | ((80 + t[1]) << 8) | (30 + t[2]));
        }
        assertEquals(Optional.of("hi"), SteganoLsb.reveal(image));
    }

    @Test
    void roundTripsALongJsonPayloadInANoisyImage() throws ProvenanceException {
        BufferedImage image = new BufferedImage(97, 61, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(3);
        for (int y = 0; y < 61; y++) {
            for (int x = 0; x < 97; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        String message = "{\"title\": \"a caf\\u00e9 | oil painting\", \"notebook\": \"VQGAN+CLIP\", \"i\": 50, \"seed\": \"123\"}"
                .repeat(10);
        assertEquals(Optional.of(message), SteganoLsb.reveal(SteganoLsb.hide(image, message)));
    }

    @Test
    void capacityErrorNamesBytesPixelsNeededAndPixelsAvailable() {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        String message = "x".repeat(40); // "40:" + 40 chars = 43 chars = 344 bits = 115 pixels > 100
        ProvenanceException e = assertThrows(ProvenanceException.class, () -> SteganoLsb.hide(image, message));
        assertEquals("LSB payload of 40 bytes needs 115 pixels; image has 100 (10x10)", e.getMessage());
        assertEquals(115, SteganoLsb.pixelsNeeded(message));
    }

    @Test
    void refusesCharactersThatDoNotFitEightBits() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ProvenanceException e = assertThrows(ProvenanceException.class, () -> SteganoLsb.hide(image, "snow \u2603"));
        assertTrue(e.getMessage().contains("U+2603"), e.getMessage());
    }

    @Test
    void findsNothingInAnImageWithoutAPayload() {
        BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        assertEquals(Optional.empty(), SteganoLsb.reveal(gray), "all-zero LSBs decode to NUL, not a digit");
        BufferedImage noise = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(11);
        int found = 0;
        for (int trial = 0; trial < 50; trial++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    noise.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            found += SteganoLsb.reveal(noise).isPresent() ? 1 : 0;
        }
        assertTrue(found <= 1, "random LSBs rarely look like <digits>:; found " + found + " of 50");
    }
}
