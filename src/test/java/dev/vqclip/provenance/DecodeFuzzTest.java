package dev.vqclip.provenance;

import dev.vqclip.bench.provenance.SyntheticImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Decoding untrusted files never fails with anything but a {@link BadImageException}: mutated, truncated and
 * spliced PNG/JPEG files and random bytes either decode (possibly with no layers) or are refused clearly.
 */
class DecodeFuzzTest {
    private static final List<byte[]> SEEDS = seeds();
    private final ProvenanceReader reader = new ProvenanceReader(new ImageLoader(4_000_000), Watermark.standard(), 1 << 20);

    private static List<byte[]> seeds() {
        try {
            BufferedImage image = new SyntheticImages(48, 72).image(5, 5);
            byte[] stamped = new Stamper(Watermark.standard(), "vqclip fuzz").stamp(image,
                    ProvenancePayloadTest.sample(), 99);
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(Attack.copy(image), "jpeg", jpeg);
            ByteArrayOutputStream gif = new ByteArrayOutputStream();
            ImageIO.write(image, "gif", gif);
            return List.of(stamped, jpeg.toByteArray(), gif.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProvenanceException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 1200)
    void decodeNeverThrowsAnythingButBadImage(@ForAll("corruptFiles") byte[] file) {
        try {
            reader.read(file);
        } catch (BadImageException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a bad-input error must say what is wrong");
            }
        }
    }

    @Provide
    Arbitrary<byte[]> corruptFiles() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
        Arbitrary<byte[]> mutated = Arbitraries.longs().map(DecodeFuzzTest::mutate);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(5, mutated));
    }

    /** A seed file with a few random byte changes, a truncation, a duplicated span, or a header field rewrite. */
    static byte[] mutate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] file = SEEDS.get(r.nextInt(SEEDS.size())).clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    file[r.nextInt(file.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> file = Arrays.copyOf(file, r.nextInt(file.length));
            case 2 -> {
                int from = r.nextInt(file.length);
                int len = r.nextInt(Math.min(200, file.length - from) + 1);
                int at = r.nextInt(file.length);
                byte[] out = new byte[file.length + len];
                System.arraycopy(file, 0, out, 0, at);
                System.arraycopy(file, from, out, at, len);
                System.arraycopy(file, at, out, at + len, file.length - at);
                file = out;
            }
            default -> {
                // header region: sizes, chunk lengths, marker lengths live in the first bytes
                int at = r.nextInt(Math.min(64, file.length));
                for (int i = at; i < Math.min(file.length, at + 4); i++) {
                    file[i] = (byte) (r.nextBoolean() ? 0xFF : r.nextInt(256));
                }
            }
        }
        return file;
    }
}
