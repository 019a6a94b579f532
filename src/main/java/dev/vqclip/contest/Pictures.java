package dev.vqclip.contest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The two image checks contests need: is an upload the very picture a job rendered, and a copy that hides its author. */
public final class Pictures {
    private Pictures() {
    }

    /**
     * True when both images decode to the same size and the same RGB in every pixel. PNG text chunks may differ
     * (they are not the picture); any changed pixel makes it another picture. An upload reaches this only after the
     * provenance reader (which refuses decompression bombs before decoding) has read it.
     */
    public static boolean samePixels(byte[] a, byte[] b) {
        BufferedImage x = read(a);
        BufferedImage y = read(b);
        if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
            return false;
        }
        for (int row = 0; row < x.getHeight(); row++) {
            for (int col = 0; col < x.getWidth(); col++) {
                if ((x.getRGB(col, row) & 0xFFFFFF) != (y.getRGB(col, row) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A copy for blind voting: re-encoded without the PNG text chunks and with every colour's lowest bit cleared, so
     * the recipe (which names the prompt) cannot be read back from the ballot. The change is invisible (±1 of 255).
     * The robust watermark survives: it carries only the job id, and {@code /decode} does not resolve an entry's.
     */
    public static byte[] blindCopy(byte[] png) {
        BufferedImage in = read(png);
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < in.getHeight(); row++) {
            for (int col = 0; col < in.getWidth(); col++) {
                out.setRGB(col, row, in.getRGB(col, row) & 0xFEFEFE);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a ballot image", e);
        }
        return bytes.toByteArray();
    }

    private static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new ContestRefusal("that file is not an image I can read (PNG, JPEG, GIF or BMP)");
            }
            return image;
        } catch (IOException e) {
            throw new ContestRefusal("that file is not an image I can read (" + e.getMessage() + ")");
        }
    }
}
