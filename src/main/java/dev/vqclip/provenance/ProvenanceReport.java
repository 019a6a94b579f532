package dev.vqclip.provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ProvenanceReader} found in one image, layer by layer. A null component means that layer was not
 * found.
 *
 * @param format      decoder format name ("png", "jpeg", ...)
 * @param width       pixels
 * @param height      pixels
 * @param lsbMessage  the Stegano-layout LSB message
 * @param lsbPayload  the LSB message parsed as a recipe (null when absent or not a recipe)
 * @param texts       PNG text chunks by keyword (empty when none)
 * @param xmp         the XMP packet's fields
 * @param textPayload the recipe JSON of the {@value Stamper#RECIPE_KEYWORD} text chunk, parsed
 * @param watermark   the robust watermark
 */
public record ProvenanceReport(String format, int width, int height, String lsbMessage, ProvenancePayload lsbPayload,
                               Map<String, String> texts, Xmp xmp, ProvenancePayload textPayload,
                               WatermarkReading watermark) {
    public ProvenanceReport {
        texts = texts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    /** Names of the layers found, in the order "lsb", "text", "xmp", "watermark". */
    public List<String> layers() {
        List<String> out = new ArrayList<>();
        if (lsbMessage != null) {
            out.add("lsb");
        }
        if (!texts.isEmpty()) {
            out.add("text");
        }
        if (xmp != null) {
            out.add("xmp");
        }
        if (watermark != null) {
            out.add("watermark");
        }
        return out;
    }

    public boolean foundAnything() {
        return !layers().isEmpty();
    }

    /** Only the robust mark survived (typical after a platform re-encoded the image): resolve the job id. */
    public boolean onlyWatermark() {
        return layers().equals(List.of("watermark"));
    }

    /** The fullest recipe found: the LSB one, else the text-chunk one. */
    public Optional<ProvenancePayload> recipe() {
        return Optional.ofNullable(lsbPayload != null ? lsbPayload : textPayload);
    }

    /** The job id, from the watermark, else from a recipe. */
    public Optional<Long> jobId() {
        if (watermark != null) {
            return Optional.of(watermark.jobId());
        }
        return recipe().map(ProvenancePayload::jobId);
    }
}
