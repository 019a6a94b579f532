package dev.vqclip.bench.provenance;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Varied synthetic test images for the watermark robustness suite: smooth gradients, fractal value noise (the
 * soft, photo-like regions VQGAN produces), hard-edged shapes, sinusoidal gratings, white-noise textures and
 * mixtures of them. Deterministic for a given seed; sides drawn from [minSide, maxSide].
 */
public final class SyntheticImages {
    public enum Kind { GRADIENT, VALUE_NOISE, SHAPES, GRATING, NOISE_TEXTURE, MIXED }

    private final int minSide;
    private final int maxSide;

    public SyntheticImages(int minSide, int maxSide) {
        if (minSide < 16 || maxSide < minSide || maxSide > 4096) {
            throw new IllegalArgumentException("image sides must satisfy 16 <= min <= max <= 4096, got " + minSide + ".." + maxSide);
        }
        this.minSide = minSide;
        this.maxSide = maxSide;
    }

    /** The i-th image of the sequence for {@code seed}; the kind cycles so every kind is equally represented. */
    public BufferedImage image(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Kind kind = Kind.values()[Math.floorMod(index, Kind.values().length)];
        int w = minSide + random.nextInt(maxSide - minSide + 1);
        int h = minSide + random.nextInt(maxSide - minSide + 1);
        return draw(kind, w, h, random);
    }

    static BufferedImage draw(Kind kind, int w, int h, SplittableRandom random) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        switch (kind) {
            case GRADIENT -> gradient(image, random);
            case VALUE_NOISE -> valueNoise(image, random, 1.0);
            case SHAPES -> {
                gradient(image, random);
                shapes(image, random, 12 + random.nextInt(20));
            }
            case GRATING -> grating(image, random);
            case NOISE_TEXTURE -> {
                gradient(image, random);
                noiseTexture(image, random, 10 + random.nextInt(40));
            }
            case MIXED -> {
                valueNoise(image, random, 0.7);
                shapes(image, random, 4 + random.nextInt(8));
                noiseTexture(image, random, 4 + random.nextInt(10));
            }
        }
        return image;
    }

    private static Color color(SplittableRandom r) {
        return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    private static void gradient(BufferedImage image, SplittableRandom r) {
        Graphics2D g = image.createGraphics();
        int w = image.getWidth();
        int h = image.getHeight();
        if (r.nextBoolean()) {
            g.setPaint(new GradientPaint(r.nextInt(w), r.nextInt(h), color(r), r.nextInt(w), r.nextInt(h), color(r)));
        } else {
            g.setPaint(new RadialGradientPaint(r.nextInt(w), r.nextInt(h), Math.max(w, h) * (0.3f + r.nextFloat()),
                    new float[] {0f, 0.5f, 1f}, new Color[] {color(r), color(r), color(r)}));
        }
        g.fill(new Rectangle2D.Double(0, 0, w, h));
        g.dispose();
    }

    private static void shapes(BufferedImage image, SplittableRandom r, int count) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = image.getWidth();
        int h = image.getHeight();
        for (int k = 0; k < count; k++) {
            Color c = color(r);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 120 + r.nextInt(136)));
            double x = r.nextDouble() * w;
            double y = r.nextDouble() * h;
            double s = (0.05 + r.nextDouble() * 0.3) * Math.min(w, h);
            switch (r.nextInt(4)) {
                case 0 -> g.fill(new Ellipse2D.Double(x - s, y - s, 2 * s, 2 * s * (0.5 + r.nextDouble())));
                case 1 -> g.fill(new Rectangle2D.Double(x - s, y - s, 2 * s * r.nextDouble() + 4, 2 * s));
                case 2 -> {
                    Path2D.Double p = new Path2D.Double();
                    p.moveTo(x, y);
                    for (int v = 0; v < 2 + r.nextInt(4); v++) {
                        p.lineTo(x + (r.nextDouble() - 0.5) * 3 * s, y + (r.nextDouble() - 0.5) * 3 * s);
                    }
                    p.closePath();
                    g.fill(p);
                }
                default -> {
                    g.setStroke(new BasicStroke(1 + r.nextInt(8)));
                    g.drawLine((int) x, (int) y, (int) (x + (r.nextDouble() - 0.5) * 4 * s), (int) (y + (r.nextDouble() - 0.5) * 4 * s));
                }
            }
        }
        g.dispose();
    }

    /** Sum of octaves of bilinearly interpolated random lattices ("value noise"), one colour ramp per channel. */
    private static void valueNoise(BufferedImage image, SplittableRandom r, double contrast) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[][] channels = new double[3][w * h];
        int octaves = 3 + r.nextInt(4);
        double base = 4 + r.nextInt(40);
        for (double[] ch : channels) {
            double amp = 1;
            double cellSize = Math.max(w, h) / base * 4;
            for (int o = 0; o < octaves; o++) {
                int gw = (int) Math.ceil(w / cellSize) + 2;
                int gh = (int) Math.ceil(h / cellSize) + 2;
                double[] lattice = new double[gw * gh];
                for (int i = 0; i < lattice.length; i++) {
                    lattice[i] = r.nextDouble() - 0.5;
                }
                for (int y = 0; y < h; y++) {
                    double v = y / cellSize;
                    int j0 = (int) v;
                    double tv = smooth(v - j0);
                    for (int x = 0; x < w; x++) {
                        double u = x / cellSize;
                        int i0 = (int) u;
                        double tu = smooth(u - i0);
                        double a = lattice[j0 * gw + i0] * (1 - tu) + lattice[j0 * gw + i0 + 1] * tu;
                        double b = lattice[(j0 + 1) * gw + i0] * (1 - tu) + lattice[(j0 + 1) * gw + i0 + 1] * tu;
                        ch[y * w + x] += amp * (a * (1 - tv) + b * tv);
                    }
                }
                amp *= 0.5 + r.nextDouble() * 0.2;
                cellSize = Math.max(1.5, cellSize / 2);
            }
        }
        double[] mid = {r.nextInt(200) + 28, r.nextInt(200) + 28, r.nextInt(200) + 28};
        double gain = (150 + r.nextInt(250)) * contrast;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int red = clamp(mid[0] + gain * channels[0][i]);
                int green = clamp(mid[1] + gain * channels[1][i]);
                int blue = clamp(mid[2] + gain * channels[2][i]);
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static void grating(BufferedImage image, SplittableRandom r) {
        int w = image.getWidth();
        int h = image.getHeight();
        double freq = 0.01 + r.nextDouble() * 0.3;
        double angle = r.nextDouble() * Math.PI;
        double fx = freq * Math.cos(angle);
        double fy = freq * Math.sin(angle);
        Color a = color(r);
        Color b = color(r);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = 0.5 + 0.5 * Math.sin(2 * Math.PI * (fx * x + fy * y));
                image.setRGB(x, y, (mix(a.getRed(), b.getRed(), t) << 16) | (mix(a.getGreen(), b.getGreen(), t) << 8)
                        | mix(a.getBlue(), b.getBlue(), t));
            }
        }
    }

    /** Adds per-pixel uniform noise of +-amplitude (independent per channel) to whatever is there. */
    private static void noiseTexture(BufferedImage image, SplittableRandom r, int amplitude) {
        int w = image.getWidth();
        int h = image.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int red = clamp(((p >> 16) & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
                int green = clamp(((p >> 8) & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
                int blue = clamp((p & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
