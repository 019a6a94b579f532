package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** One thing a platform does to an image on its way to a viewer, for the robustness suite. */
public record Attack(String name, String description, Transform transform) {

    @FunctionalInterface
    public interface Transform {
        BufferedImage apply(BufferedImage image, SplittableRandom random) throws IOException;
    }

    public BufferedImage apply(BufferedImage image, SplittableRandom random) throws IOException {
        return transform.apply(image, random);
    }

    public static Attack jpeg(int quality) {
        return new Attack("jpeg" + quality, "JPEG quality " + quality + " (ImageIO, 4:2:0 chroma)",
                (image, r) -> jpegRoundTrip(image, quality));
    }

    /** Downscale by an area average (what a careful resizer does; a naive one aliases more). */
    public static Attack downscale(int percent) {
        return new Attack("downscale" + percent, "area-average resize to " + percent + "% per side",
                (image, r) -> resize(image, percent / 100.0));
    }

    /** Keeps a window of (100 - percent)% of each side at a random position. */
    public static Attack crop(int percent) {
        return new Attack("crop" + percent, "crop " + percent + "% of each side away, random placement", (image, r) -> {
            int w = image.getWidth();
            int h = image.getHeight();
            int nw = (int) Math.round(w * (100 - percent) / 100.0);
            int nh = (int) Math.round(h * (100 - percent) / 100.0);
            int x = r.nextInt(w - nw + 1);
            int y = r.nextInt(h - nh + 1);
            return copy(image.getSubimage(x, y, nw, nh));
        });
    }

    public static Attack downscaleThenJpeg(int percent, int quality) {
        return new Attack("downscale" + percent + "+jpeg" + quality, "resize to " + percent + "% then JPEG q" + quality,
                (image, r) -> jpegRoundTrip(resize(image, percent / 100.0), quality));
    }

    /** WebP through the Debian {@code cwebp}/{@code dwebp} tools; see {@link #webpAvailable()}. */
    public static Attack webp(int quality) {
        return new Attack("webp" + quality, "WebP quality " + quality + " (cwebp " + quality + ", external)",
                (image, r) -> webpRoundTrip(image, quality));
    }

    /** The standard suite; WebP only when cwebp and dwebp are on the PATH (no pure-Java WebP encoder exists). */
    public static List<Attack> standardSuite() {
        List<Attack> attacks = new ArrayList<>(List.of(
                new Attack("none", "lossless PNG copy", (image, r) -> image),
                jpeg(75), jpeg(50), downscale(50), crop(10), downscaleThenJpeg(50, 75)));
        if (webpAvailable()) {
            attacks.add(3, webp(80));
        }
        return attacks;
    }

    public static boolean webpAvailable() {
        return onPath("cwebp") && onPath("dwebp");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static BufferedImage jpegRoundTrip(BufferedImage image, int quality) throws IOException {
        BufferedImage rgb = copy(image);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    }

    private static BufferedImage webpRoundTrip(BufferedImage image, int quality) throws IOException {
        Path dir = Files.createTempDirectory("vqclip-webp");
        try {
            Path png = dir.resolve("in.png");
            Path webp = dir.resolve("out.webp");
            Path back = dir.resolve("back.png");
            ImageIO.write(copy(image), "png", png.toFile());
            run(List.of("cwebp", "-quiet", "-q", Integer.toString(quality), png.toString(), "-o", webp.toString()));
            run(List.of("dwebp", "-quiet", webp.toString(), "-o", back.toString()));
            return ImageIO.read(back.toFile());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed: " + new String(output).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            process.destroy();
        }
    }

    /** RGB resize of every channel with {@link Planes#resizeArea}. */
    static BufferedImage resize(BufferedImage image, double factor) {
        int w = image.getWidth();
        int h = image.getHeight();
        int nw = Math.max(1, (int) Math.round(w * factor));
        int nh = Math.max(1, (int) Math.round(h * factor));
        float[][] channels = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                channels[0][y * w + x] = (p >> 16) & 0xFF;
                channels[1][y * w + x] = (p >> 8) & 0xFF;
                channels[2][y * w + x] = p & 0xFF;
            }
        }
        float[][] resized = new float[3][];
        for (int c = 0; c < 3; c++) {
            resized[c] = Planes.resizeArea(channels[c], w, h, nw, nh);
        }
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int i = y * nw + x;
                out.setRGB(x, y, (byteOf(resized[0][i]) << 16) | (byteOf(resized[1][i]) << 8) | byteOf(resized[2][i]));
            }
        }
        return out;
    }

    private static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** An opaque TYPE_INT_RGB copy (JPEG writers misread alpha; sub-images share their parent's raster). */
    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int w = image.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }
}
