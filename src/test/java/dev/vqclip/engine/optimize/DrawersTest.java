package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DrawersTest {

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void lanczosResizeKeepsAFlatColourAndHitsTheRequestedSize() {
        float[] px = InitImages.lanczosResize(solid(37, 23, 0x336699), 16, 12);
        assertEquals(3 * 16 * 12, px.length);
        for (int i = 0; i < 16 * 12; i++) {
            assertEquals(0x33 / 255f, px[i], 1e-5);
            assertEquals(0x66 / 255f, px[16 * 12 + i], 1e-5);
            assertEquals(0x99 / 255f, px[2 * 16 * 12 + i], 1e-5);
        }
    }

    @Test
    void noiseInitsAreSeededAndInRange() {
        float[] a = InitImages.gradientNoise(10, 8, new SplittableRandom(3));
        assertArrayEquals(a, InitImages.gradientNoise(10, 8, new SplittableRandom(3)));
        assertEquals(0f, a[0], 0f, "red starts at 0 on the left");
        for (float v : InitImages.pixelNoise(10, 8, new SplittableRandom(4))) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void vqganDrawerFloorsTheSizeToTheFactorAndEncodesAnInitImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            LatentCodec codec = ToyModels.blockCodec(m, 32, 6, 4, 4);
            for (String noise : DrawerRequest.NOISES) {
                try (Drawer d = Drawers.create(new DrawerRequest("vqgan", 27, 18, null, noise), codec, m, new SplittableRandom(1))) {
                    assertEquals(24, d.width());
                    assertEquals(16, d.height());
                    assertArrayEquals(new long[] {1, 6, 4, 6}, d.parameters().getShape().getShape());
                }
            }
            try (VqganDrawer d = (VqganDrawer) Drawers.create(new DrawerRequest("vqgan", 16, 16, solid(40, 40, 0xff0000), null),
                    codec, m, new SplittableRandom(1))) {
                // every block of a flat image encodes to the same code
                long[] idx = d.indices();
                for (long i : idx) {
                    assertEquals(idx[0], i);
                }
            }
        }
    }

    @Test
    void pixelDrawerUpscalesItsGridWithNearestNeighbours() {
        try (NDManager m = NDManager.newBaseManager()) {
            try (PixelDrawer d = PixelDrawer.fromColours(m, 5, 3, 2, 1, new float[] {0.1f, 0.9f, 0.2f, 0.8f, 0.3f, 0.7f})) {
                float[] img = d.render().toFloatArray();
                // columns 0..2 take cell 0 (floor(x·2/5)), columns 3..4 cell 1
                assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 0.9f, 0.9f}, java.util.Arrays.copyOfRange(img, 0, 5), 0f);
            }
            assertArrayEquals(new int[] {80, 45}, PixelDrawer.defaultCells(1280, 720));
            assertArrayEquals(new int[] {20, 10}, PixelDrawer.defaultCells(20, 10));
        }
    }

    @Test
    void theVqganDrawerNeedsAModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Drawers.create(new DrawerRequest("vqgan", 16, 16, null, null), null, m, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("VQGAN"));
        }
    }
}
