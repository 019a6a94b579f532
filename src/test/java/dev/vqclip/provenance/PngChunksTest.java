package dev.vqclip.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngChunksTest {

    static byte[] plainPng() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void writesLatin1AsTextAndUnicodeAsInternationalTextAndReadsBoth() throws Exception {
        byte[] png = PngChunks.withTexts(plainPng(), List.of(new PngText("Software", "vqclip 0.1.0"),
                new PngText("Title", "雪の城 | café")), Set.of());
        String raw = new String(png, StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("tEXtSoftware\0vqclip 0.1.0"), "Latin-1 text goes into tEXt");
        assertTrue(raw.contains("iTXtTitle\0\0\0\0\0"), "non-Latin-1 text goes into uncompressed iTXt");
        assertEquals(List.of(new PngText("Software", "vqclip 0.1.0"), new PngText("Title", "雪の城 | café")),
                PngChunks.readTexts(png));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(8, decoded.getWidth(), "the file is still a valid PNG");
    }

    @Test
    void replacesStaleChunksWithTheSameKeyword() throws Exception {
        byte[] once = PngChunks.withTexts(plainPng(), List.of(new PngText("Title", "old")), Set.of());
        byte[] twice = PngChunks.withTexts(once, List.of(new PngText("Title", "new")), Set.of("Title"));
        assertEquals(List.of(new PngText("Title", "new")), PngChunks.readTexts(twice));
    }

    @Test
    void readsCompressedTextAndSkipsChunksWithBadCrc() throws Exception {
        byte[] png = plainPng();
        byte[] ztxt = chunk("zTXt", concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), deflate("squeezed")));
        byte[] broken = chunk("tEXt", "Author\0me".getBytes(StandardCharsets.ISO_8859_1));
        broken[broken.length - 1] ^= 1;
        byte[] withChunks = concat(concat(java.util.Arrays.copyOf(png, 33), ztxt), concat(broken,
                java.util.Arrays.copyOfRange(png, 33, png.length)));
        assertEquals(List.of(new PngText("Comment", "squeezed")), PngChunks.readTexts(withChunks));
    }

    @Test
    void refusesToAddChunksToSomethingThatIsNotAPng() {
        assertThrows(ProvenanceException.class, () -> PngChunks.withTexts("GIF89a".getBytes(StandardCharsets.ISO_8859_1),
                List.of(new PngText("Title", "x")), Set.of()));
    }

    @Test
    void xmpPacketCarriesTitleAndCreatorAndParsesBack() {
        Xmp xmp = new Xmp("a castle <at> dusk & fog", List.of("VQGAN+CLIP"), "Steps: 500", "vqclip 0.1.0");
        String packet = xmp.toPacket();
        assertTrue(packet.contains("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">a castle &lt;at&gt; dusk &amp; fog"), packet);
        assertTrue(packet.contains("<dc:creator><rdf:Seq><rdf:li>VQGAN+CLIP</rdf:li></rdf:Seq></dc:creator>"), packet);
        assertEquals(Optional.of(xmp), Xmp.parse(packet));
    }

    @Test
    void xmpParserRefusesDoctypesSoNoExternalEntityIsFetched() {
        String evil = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&e;</x:xmpmeta>";
        assertEquals(Optional.empty(), Xmp.parse(evil));
    }

    private static byte[] deflate(String s) {
        Deflater d = new Deflater();
        d.setInput(s.getBytes(StandardCharsets.ISO_8859_1));
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = data.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        int c = (int) crc.getValue();
        out.write(c >>> 24);
        out.write(c >>> 16);
        out.write(c >>> 8);
        out.write(c);
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
