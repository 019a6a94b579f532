package dev.vqclip.contest;

import java.util.Optional;

/**
 * Reads which queue job made an image (the LSB payload, PNG text, or the robust watermark). The composition root
 * implements it with {@code provenance}; contests may not depend on that package directly.
 */
@FunctionalInterface
public interface ImageProvenance {
    /**
     * @return the job id the image carries, empty when it carries none
     * @throws IllegalArgumentException when the bytes are not an image
     */
    Optional<Long> jobId(byte[] image);
}
