package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;

/** Host images from tensors. */
final class Previews {
    private Previews() {
    }

    /**
     * {@code [1, 3, H, W]} in [0, 1] to an RGB image; values are clamped, scaled by 255 and truncated, as
     * torchvision's {@code to_pil_image} does for the reference's saved images.
     */
    public static BufferedImage toImage(NDArray image) {
        Shape s = image.getShape();
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        float[] v = image.toFloatArray();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            rgb[p] = (byteOf(v[p]) << 16) | (byteOf(v[plane + p]) << 8) | byteOf(v[2 * plane + p]);
        }
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int byteOf(float x) {
        float c = Math.min(Math.max(x, 0f), 1f);
        return (int) (c * 255f);
    }
}
