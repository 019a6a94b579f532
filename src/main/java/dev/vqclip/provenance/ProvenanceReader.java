package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every provenance layer of an image file: the Stegano-compatible LSB recipe, PNG text chunks and XMP, and
 * the robust watermark. Bad input (not an image, truncated, 0x0, too many pixels) is a {@link BadImageException};
 * nothing else escapes.
 */
public final class ProvenanceReader {
    private final ImageLoader loader;
    private final Watermark watermark;
    private final long maxBytes;

    public ProvenanceReader(ImageLoader loader, Watermark watermark, long maxBytes) {
        this.loader = loader;
        this.watermark = watermark;
        this.maxBytes = maxBytes;
    }

    public ProvenanceReader() {
        this(new ImageLoader(), Watermark.standard(), ImageLoader.DEFAULT_MAX_BYTES);
    }

    public ProvenanceReport read(Path file) throws BadImageException {
        return read(InputFiles.read(file, maxBytes, "image"));
    }

    public ProvenanceReport read(byte[] bytes) throws BadImageException {
        ImageLoader.Loaded loaded = loader.load(bytes);
        BufferedImage image = loaded.image();
        String lsb = SteganoLsb.reveal(image).filter(ProvenanceReader::plausibleText).orElse(null);
        ProvenancePayload lsbPayload = lsb == null ? null : parseQuietly(lsb);
        Map<String, String> texts = new LinkedHashMap<>();
        Xmp xmp = null;
        for (PngText t : PngChunks.readTexts(bytes)) {
            if (t.keyword().equals(PngChunks.XMP_KEYWORD)) {
                xmp = Xmp.parse(t.text()).orElse(xmp);
            } else {
                texts.putIfAbsent(t.keyword(), t.text());
            }
        }
        String recipeJson = texts.get(Stamper.RECIPE_KEYWORD);
        ProvenancePayload textPayload = recipeJson == null ? null : parseQuietly(recipeJson);
        Optional<WatermarkReading> mark = watermark.detect(image);
        return new ProvenanceReport(loaded.format(), image.getWidth(), image.getHeight(), lsb, lsbPayload, texts, xmp,
                textPayload, mark.orElse(null));
    }

    /** A revealed LSB message counts only if it is printable text: random LSBs almost never are. */
    private static boolean plausibleText(String s) {
        if (s.length() < 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static ProvenancePayload parseQuietly(String json) {
        try {
            return ProvenancePayload.fromJson(json);
        } catch (ProvenanceException e) {
            return null;
        }
    }
}
