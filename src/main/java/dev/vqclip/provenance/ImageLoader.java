package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted image bytes safely: the header's dimensions are read through {@link ImageReader} and checked
 * against a pixel limit before any pixel buffer is allocated (decompression bombs), and every decoder failure or
 * warning (corrupt data, truncation) becomes a {@link BadImageException} with a message that says which.
 * PNG, JPEG, GIF and BMP come from the JDK; WebP (lossy and lossless) from the TwelveMonkeys ImageIO plugin.
 */
public final class ImageLoader {
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    private final long maxPixels;

    public ImageLoader(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("pixel limit must be >= 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public ImageLoader() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoded image and the format name its reader reported. */
    public record Loaded(String format, BufferedImage image) {
    }

    /** A user-named image file: a regular file of at most {@link #DEFAULT_MAX_BYTES}, decoded as {@link #load(byte[])}. */
    public Loaded load(Path file, String what) throws BadImageException {
        try {
            return load(InputFiles.read(file, DEFAULT_MAX_BYTES, what));
        } catch (BadImageException e) {
            if (e.getMessage().contains(file.toString())) {
                throw e;
            }
            throw new BadImageException(what + " " + file + ": " + e.getMessage(), e);
        }
    }

    public Loaded load(byte[] bytes) throws BadImageException {
        if (bytes.length == 0) {
            throw new BadImageException("not an image: the file is empty");
        }
        Optional<long[]> declared = HeaderSize.of(bytes);
        if (declared.isPresent()) {
            checkSize(declared.get()[0], declared.get()[1], bytes[0] == (byte) 0x89 ? "png" : "jpeg");
        }
        ImageReader reader = null;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) {
                throw new BadImageException("not an image: no image input stream for the data");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadImageException("not an image: no decoder recognises the first bytes (" + hexStart(bytes) + ")");
            }
            reader = readers.next();
            reader.setInput(in, true, true);
            String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new BadImageException("corrupt or truncated " + format + " header: " + describe(e), e);
            }
            checkSize(w, h, format);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new BadImageException("corrupt or truncated " + format + " image data: " + describe(e), e);
            }
            if (!warnings.isEmpty()) {
                throw new BadImageException("corrupt or truncated " + format + " image data: " + warnings.get(0));
            }
            if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
                throw new BadImageException("the " + format + " decoder produced no pixels");
            }
            return new Loaded(format, image);
        } catch (IOException e) {
            throw new BadImageException("could not read the image data: " + describe(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private void checkSize(long w, long h, String format) throws BadImageException {
        if (w <= 0 || h <= 0) {
            throw new BadImageException("empty image: the " + format + " header says " + w + "x" + h);
        }
        long pixels = w * h;
        if (pixels > maxPixels) {
            throw new BadImageException("refusing to decode " + w + "x" + h + " = " + pixels + " pixels: above the limit of "
                    + maxPixels + " (decompression bomb guard)");
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    private static String hexStart(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            s.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return s.toString();
    }
}
