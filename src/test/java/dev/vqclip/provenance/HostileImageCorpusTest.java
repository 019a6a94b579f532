package dev.vqclip.provenance;

import dev.vqclip.bench.provenance.SyntheticImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded corpus of hostile image files, one generator per input class of issue 19, read in-process by
 * {@code decode}'s reader and by the loader init and target images go through: each gives a valid result or a
 * {@link BadImageException} whose one-line message names the file or the limit, within a time bound.
 */
class HostileImageCorpusTest {
    private static final long SEED = 19;
    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static byte[] smallPng;

    @BeforeAll
    static void seedImages() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(24, 32).image(3, 3), "png", png);
        smallPng = png.toByteArray();
    }

    /** What a case expects: a clean refusal whose message says these words, or a read with this check. */
    record Case(String name, Path file, List<String> mustSay, Consumer<ProvenanceReport> ifRead) {
        static Case refused(String name, Path file, String... words) {
            return new Case(name, file, List.of(words), null);
        }

        static Case read(String name, Path file, Consumer<ProvenanceReport> check) {
            return new Case(name, file, List.of(), check);
        }

        static Case either(String name, Path file) {
            return new Case(name, file, List.of(), report -> { });
        }
    }

    @TestFactory
    List<DynamicTest> everyHostileImageGetsAResultOrAClearRefusal() throws Exception {
        List<Case> cases = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(SEED);

        // XMP nested far deeper than any real packet: read, the XMP left out
        for (int depth : new int[] {100, 10_000, 100_000, 1_000_000}) {
            String xmp = "<a>".repeat(depth) + "</a>".repeat(depth);
            cases.add(Case.read("XMP nested " + depth, file("xmp" + depth, pngWith(itxt(PngChunks.XMP_KEYWORD, xmp))),
                    report -> assertNull(report.xmp())));
        }
        // a recipe nested 60 (fine), 1,000 and 100,000 levels deep: read, the deep recipe left out
        for (int depth : new int[] {60, 1000, 100_000}) {
            String json = "{\"title\": \"t\", \"settings\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "}";
            cases.add(Case.read("recipe nested " + depth, file("recipe" + depth, pngWith(text(Stamper.RECIPE_KEYWORD, json))),
                    report -> assertEquals(depth < PythonStyleJson.MAX_DEPTH, report.recipe().isPresent())));
        }
        // many compressed text chunks, each under the per-chunk cap: refused by count or by total text
        byte[] fourMb = deflate(new byte[4 << 20]);
        cases.add(Case.refused("2,500 zTXt of 4 MB each", file("ztxt", pngWith(repeat(ztxt("Comment", fourMb), 2500))),
                "8388608"));
        cases.add(Case.refused("65 small tEXt", file("texts", pngWith(repeat(text("Comment", "hi"), 65))),
                Integer.toString(PngChunks.MAX_TEXT_CHUNKS)));
        // dimension bombs: refused from the header, before any pixel is allocated
        cases.add(Case.refused("PNG 20000x20000", file("bomb", pngOfSize(20000, 20000)), "20000x20000", "limit"));
        cases.add(Case.refused("WebP lossless 16384x16384", file("bomb-webp", webpLossless(16384, 16384)), "16384x16384", "limit"));
        cases.add(Case.refused("PNG 0x0", file("empty-dims", pngOfSize(0, 0)), "0"));
        // valid WebP (lossless) reads
        cases.add(Case.read("WebP lossless 40x30", file("ok-webp", webpLossless(40, 30)), report -> {
            assertEquals("webp", report.format());
            assertEquals(40, report.width());
        }));
        // not regular files
        cases.add(Case.refused("a folder", dir, "not a regular file"));
        for (String device : List.of("/dev/zero", "/dev/urandom")) {
            if (Files.exists(Path.of(device))) {
                cases.add(Case.refused(device, Path.of(device), "not a regular file"));
            }
        }
        Path fifo = fifo();
        if (fifo != null) {
            cases.add(Case.refused("a FIFO", fifo, "not a regular file"));
            Path link = Files.createSymbolicLink(dir.resolve("link-to-fifo.png"), fifo);
            cases.add(Case.refused("a symlink to a FIFO", link, "not a regular file"));
        }
        cases.add(Case.refused("no such file", dir.resolve("missing.png"), "no such file"));
        // seeded mutations of valid PNG and WebP files, and random bytes
        byte[] webp = webpLossless(24, 16);
        for (int i = 0; i < 150; i++) {
            byte[] base = i % 3 == 0 ? webp : smallPng;
            cases.add(Case.either("mutation " + i, file("mut" + i, mutate(base, r))));
        }
        for (int i = 0; i < 30; i++) {
            byte[] junk = new byte[r.nextInt(4000)];
            r.nextBytes(junk);
            cases.add(Case.either("random bytes " + i, file("junk" + i, junk)));
        }

        System.out.println("hostile image corpus: " + cases.size() + " files, seed " + SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        }
        return tests;
    }

    private static void check(Case c) {
        ProvenanceReader reader = new ProvenanceReader();
        Object outcome = assertTimeoutPreemptively(BOUND, () -> {
            try {
                return reader.read(c.file());
            } catch (BadImageException e) {
                return e;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                throw new AssertionError(c.name() + ": " + e + " instead of a result or a clear refusal", e);
            }
        }, c.name() + " took longer than " + BOUND);
        Object asInitImage = assertTimeoutPreemptively(BOUND, () -> {
            try {
                return new ImageLoader().load(c.file(), "init image");
            } catch (BadImageException e) {
                return e;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                throw new AssertionError(c.name() + " as an init image: " + e, e);
            }
        });
        if (outcome instanceof BadImageException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank() && !m.contains("\n"), c.name() + ": one line, got " + m);
            for (String word : c.mustSay()) {
                assertTrue(m.contains(word), c.name() + ": the message says '" + word + "': " + m);
            }
            if (c.ifRead() != null && c.mustSay().isEmpty()) {
                return; // either outcome is fine
            }
            if (c.ifRead() != null) {
                fail(c.name() + ": refused, expected a read: " + m);
            }
            // the init-image loader reads pixels only, so text-chunk limits are decode's alone
            boolean textLimit = c.name().contains("TXt") || c.name().contains("tEXt");
            assertTrue(textLimit || asInitImage instanceof BadImageException,
                    c.name() + ": decode refuses it, so must the init-image loader");
        } else {
            if (c.ifRead() == null) {
                fail(c.name() + ": read, expected a refusal");
            }
            c.ifRead().accept((ProvenanceReport) outcome);
        }
        if (asInitImage instanceof BadImageException e) {
            String im = e.getMessage();
            assertTrue(im.contains(c.file().toString()) && !im.contains("\n"), c.name() + ": names the file: " + im);
        }
    }

    @Test
    void aLosslessWebpDecodesToItsPixels() throws Exception {
        BufferedImage img = new ImageLoader().load(webpLossless(5, 3)).image();
        assertEquals(5, img.getWidth());
        assertEquals(3, img.getHeight());
        assertEquals(0xFF336699, img.getRGB(4, 2));
    }

    // ---- generators ------------------------------------------------------------------------------------------

    private static Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name + ".img");
        Files.write(f, bytes);
        return f;
    }

    private static Path fifo() throws InterruptedException {
        Path f = dir.resolve("fifo.png");
        try {
            Process p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? f : null;
        } catch (IOException e) {
            return null; // no mkfifo here: the FIFO cases are left out
        }
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] text(String keyword, String value) {
        return chunk("tEXt", concat(keyword.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0},
                value.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static byte[] itxt(String keyword, String value) {
        return chunk("iTXt", concat(keyword.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0, 0, 0, 0},
                value.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] ztxt(String keyword, byte[] deflated) {
        return chunk("zTXt", concat(keyword.getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0}, deflated));
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(9);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] repeat(byte[] b, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length * n);
        for (int i = 0; i < n; i++) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** The small PNG with chunks inserted after its IHDR (8-byte signature + 25-byte IHDR chunk). */
    private static byte[] pngWith(byte[] chunks) {
        return concat(Arrays.copyOf(smallPng, 33), chunks, Arrays.copyOfRange(smallPng, 33, smallPng.length));
    }

    /** A PNG whose header declares w x h RGB pixels, followed by one small IDAT of zeros. */
    private static byte[] pngOfSize(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 2, 0, 0, 0});
        return concat(Arrays.copyOf(smallPng, 8), chunk("IHDR", ihdr.array()), chunk("IDAT", deflate(new byte[1 << 16])),
                chunk("IEND", new byte[0]));
    }

    /**
     * A VP8L (lossless WebP) file of one colour, 0xFF336699: no transforms, no colour cache, five one-symbol prefix
     * codes, so every pixel takes zero bits.
     */
    static byte[] webpLossless(int w, int h) {
        Bits bits = new Bits();
        bits.put(0x2f, 8).put(w - 1, 14).put(h - 1, 14).put(0, 1).put(0, 3);
        bits.put(0, 1).put(0, 1).put(0, 1); // no transform, no colour cache, no meta prefix codes
        for (int symbol : new int[] {0x66, 0x33, 0x99, 0xFF, 0}) { // green, red, blue, alpha, distance
            bits.put(1, 1).put(0, 1).put(1, 1).put(symbol, 8);
        }
        byte[] vp8l = bits.bytes();
        int padded = vp8l.length + (vp8l.length & 1);
        ByteBuffer b = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded).put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
        return b.array();
    }

    /** LSB-first bit writer, as VP8L packs its fields. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int n;

        Bits put(int value, int count) {
            acc |= ((long) value & ((1L << count) - 1)) << n;
            n += count;
            while (n >= 8) {
                out.write((int) (acc & 0xFF));
                acc >>>= 8;
                n -= 8;
            }
            return this;
        }

        byte[] bytes() {
            if (n > 0) {
                out.write((int) (acc & 0xFF));
            }
            return out.toByteArray();
        }
    }

    private static byte[] mutate(byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        switch (r.nextInt(3)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(6); i > 0; i--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            default -> {
                int at = 12 + r.nextInt(Math.max(1, b.length - 16)); // a header field, often a size
                b[at] = (byte) 0xFF;
                b[Math.min(b.length - 1, at + 1)] = (byte) 0x7F;
            }
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
