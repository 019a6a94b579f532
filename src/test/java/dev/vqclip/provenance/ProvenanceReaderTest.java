package dev.vqclip.provenance;

import dev.vqclip.bench.provenance.SyntheticImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ProvenanceReaderTest {
    private final ProvenanceReader reader = new ProvenanceReader();
    private final Stamper stamper = new Stamper(Watermark.standard(), "vqclip test");

    private byte[] stamped(long jobId) throws Exception {
        // a shapes-on-gradient picture; the weakest kind (saturated value noise) is measured by the bench, not here
        BufferedImage image = new SyntheticImages(300, 300).image(9, 2);
        return stamper.stamp(image, ProvenancePayloadTest.sample(), jobId);
    }

    @Test
    void readsAllThreeLayersOfAStampedPng() throws Exception {
        ProvenanceReport report = reader.read(stamped(4242));
        assertEquals(List.of("lsb", "text", "xmp", "watermark"), report.layers());
        ProvenancePayload expected = ProvenancePayloadTest.sample().withJobId(4242);
        assertEquals(expected, report.lsbPayload());
        assertEquals(expected, report.textPayload());
        assertEquals(4242L, report.watermark().jobId());
        assertEquals("vqclip test", report.texts().get("Software"));
        assertEquals("a café | oil painting", report.texts().get("Title"));
        assertTrue(report.texts().get("parameters").contains("Seed: 123"));
        assertEquals("a café | oil painting", report.xmp().title());
        assertEquals(List.of("VQGAN+CLIP"), report.xmp().creators());
        assertEquals(4242L, report.jobId().orElseThrow());
    }

    @Test
    void afterAJpegReEncodeOnlyTheWatermarkSurvives() throws Exception {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(stamped(777)));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(Attack.jpegRoundTrip(png, 75), "jpeg", jpeg);
        ProvenanceReport report = reader.read(jpeg.toByteArray());
        assertEquals("jpeg", report.format());
        assertTrue(report.onlyWatermark(), "layers: " + report.layers());
        assertEquals(777L, report.jobId().orElseThrow());
        assertTrue(report.recipe().isEmpty());
    }

    @Test
    void aPlainImageHasNoLayers() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(200, 200).image(1, 0), "png", png);
        ProvenanceReport report = reader.read(png.toByteArray());
        assertEquals(List.of(), report.layers());
        assertNull(report.watermark());
    }

    @Test
    void readsANotebookEraStegoImage() throws Exception {
        String notebook = "{\"title\": \"a castle\", \"notebook\": \"VQGAN+CLIP\", \"i\": 50, \"model\": \"ImageNet 16384\", "
                + "\"seed\": \"123\", \"input_images\": \"\"}";
        BufferedImage hidden = SteganoLsb.hide(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), notebook);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(hidden, "png", png);
        ProvenanceReport report = reader.read(png.toByteArray());
        assertEquals(List.of("lsb"), report.layers());
        assertNotNull(report.lsbPayload());
        assertEquals("a castle", report.recipe().orElseThrow().title());
    }

    @Test
    void badInputsGetClearErrors() throws Exception {
        assertMessage("empty", new byte[0]);
        assertMessage("not an image", "hello, this is text".getBytes(StandardCharsets.US_ASCII));
        byte[] png = stamped(1);
        assertMessage("truncated", Arrays.copyOf(png, png.length / 2));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(64, 64).image(2, 2), "jpeg", jpeg);
        assertMessage("truncated", Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2));
        assertMessage("truncated webp", "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void zeroSizedPngIsRefused() {
        BadImageException e = assertThrows(BadImageException.class, () -> reader.read(pngWithHeader(0, 0)));
        assertTrue(e.getMessage().contains("empty image: the png header says 0x0"), e.getMessage());
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeaderBeforeDecoding() {
        BadImageException png = assertThrows(BadImageException.class, () -> reader.read(pngWithHeader(100_000, 100_000)));
        assertTrue(png.getMessage().contains("100000x100000 = 10000000000 pixels"), png.getMessage());
        assertTrue(png.getMessage().contains("decompression bomb"), png.getMessage());
        // a baseline JPEG frame header declaring 60000 x 60000
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, (byte) 0xEA, 0x60, (byte) 0xEA, 0x60,
                0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, (byte) 0xFF, (byte) 0xD9};
        BadImageException j = assertThrows(BadImageException.class, () -> reader.read(jpeg));
        assertTrue(j.getMessage().contains("decompression bomb"), j.getMessage());
    }

    private void assertMessage(String expected, byte[] bytes) {
        BadImageException e = assertThrows(BadImageException.class, () -> reader.read(bytes));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    /** A PNG whose IHDR declares the given size, followed by one empty deflate stream and IEND. */
    static byte[] pngWithHeader(int width, int height) {
        byte[] ihdr = new byte[13];
        ihdr[0] = (byte) (width >>> 24);
        ihdr[1] = (byte) (width >>> 16);
        ihdr[2] = (byte) (width >>> 8);
        ihdr[3] = (byte) width;
        ihdr[4] = (byte) (height >>> 24);
        ihdr[5] = (byte) (height >>> 16);
        ihdr[6] = (byte) (height >>> 8);
        ihdr[7] = (byte) height;
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        byte[] idat = {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
        byte[] out = PngChunks.SIGNATURE.clone();
        out = PngChunksTest.concat(out, PngChunksTest.chunk("IHDR", ihdr));
        out = PngChunksTest.concat(out, PngChunksTest.chunk("IDAT", idat));
        return PngChunksTest.concat(out, PngChunksTest.chunk("IEND", new byte[0]));
    }
}
