package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes an image as a PNG carrying its recipe in all three layers: the robust watermark (job id) in the pixels,
 * then the Stegano-compatible LSB recipe (which only touches the low bits of the first few thousand pixels), then
 * PNG text chunks ({@code Title}, {@code Software}, {@code parameters}, {@value #RECIPE_KEYWORD} with the JSON)
 * and an XMP packet.
 */
public final class Stamper {
    public static final String RECIPE_KEYWORD = "vqclip-recipe";
    static final Set<String> KEYWORDS = Set.of("Title", "Software", "parameters", RECIPE_KEYWORD, PngChunks.XMP_KEYWORD);

    private final Watermark watermark;
    private final String software;

    /** @param software the Software text, e.g. "vqclip 0.1.0" */
    public Stamper(Watermark watermark, String software) {
        if (software == null || software.isBlank()) {
            throw new IllegalArgumentException("software name must not be blank");
        }
        this.watermark = watermark;
        this.software = software;
    }

    /**
     * PNG bytes of the stamped image. The payload's job id and version are set to {@code jobId} and the software.
     *
     * When the recipe does not fit in the image's LSBs (images of a few thousand pixels), that layer is left out;
     * the PNG text chunks and the robust mark still carry the recipe and the job id.
     *
     * @throws ProvenanceException when no PNG writer is available
     */
    public byte[] stamp(BufferedImage image, ProvenancePayload payload, long jobId) throws ProvenanceException {
        ProvenancePayload stamped = payload.withJobId(jobId);
        if (stamped.version() == null) {
            stamped = new ProvenancePayload(stamped.title(), stamped.notebook(), stamped.i(), stamped.model(), stamped.seed(),
                    stamped.inputImages(), stamped.prompts(), stamped.width(), stamped.height(), stamped.iterations(),
                    stamped.drawer(), stamped.clipModel(), stamped.modelHashes(), stamped.jobId(), software, stamped.settings());
        }
        String json = stamped.toJson();
        BufferedImage marked = watermark.embed(image, jobId);
        // a thumbnail-sized image cannot hold the whole recipe in its LSBs: it keeps the text chunks and the mark
        boolean fits = SteganoLsb.pixelsNeeded(json) <= (long) marked.getWidth() * marked.getHeight();
        BufferedImage hidden = fits ? SteganoLsb.hide(marked, json) : marked;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(hidden, "png", png)) {
                throw new ProvenanceException("no PNG writer available in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory cannot fail", e);
        }
        List<PngText> texts = new ArrayList<>();
        if (stamped.title() != null) {
            texts.add(new PngText("Title", stamped.title()));
        }
        texts.add(new PngText("Software", software));
        texts.add(new PngText("parameters", stamped.parametersLine()));
        texts.add(new PngText(RECIPE_KEYWORD, json));
        Xmp xmp = new Xmp(stamped.title(), List.of(ProvenancePayload.NOTEBOOK), stamped.parametersLine(), software);
        texts.add(new PngText(PngChunks.XMP_KEYWORD, xmp.toPacket()));
        return PngChunks.withTexts(png.toByteArray(), texts, KEYWORDS);
    }
}
