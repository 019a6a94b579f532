package dev.vqclip.provenance;

/**
 * A recovered robust watermark.
 *
 * @param jobId       the 40-bit job id (its CRC-24 matched)
 * @param syncScore   how far the sync-pattern correlation peak stands above the other shifts, in standard deviations
 * @param bitMargin   mean |soft bit| / spread of the soft bits: higher means the bits were read with more margin
 * @param scale       received pixels per embedding-grid pixel (1.0 = original size of a <= 512 px image)
 */
public record WatermarkReading(long jobId, double syncScore, double bitMargin, double scale) {
    public WatermarkReading {
        if (jobId < 0 || jobId > WatermarkPayload.MAX_JOB_ID) {
            throw new IllegalArgumentException("job id out of the 40-bit range: " + jobId);
        }
    }
}
