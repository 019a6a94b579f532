package dev.vqclip.job;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A short video of a job's run, built from its previews. The media type must agree with the bytes' own signature, so
 * whoever serves a stored timelapse can trust it as the Content-Type.
 *
 * @param contentType {@value #GIF} or {@value #MP4}
 * @param frames      how many distinct frames it holds
 */
public record TimelapseVideo(String contentType, int frames, byte[] bytes) {
    public static final String GIF = "image/gif";
    public static final String MP4 = "video/mp4";

    public TimelapseVideo {
        if (frames < 1 || bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("a timelapse needs at least one frame and some bytes, got " + frames
                    + " frames and " + (bytes == null ? "no" : bytes.length) + " bytes");
        }
        String sniffed = sniff(bytes);
        if (!sniffed.equals(contentType)) {
            throw new IllegalArgumentException("a timelapse's media type must match its bytes: declared '" + contentType
                    + "', the bytes are " + (sniffed.isEmpty() ? "neither a GIF nor an MP4" : sniffed));
        }
    }

    /** {@value #GIF} for a GIF signature, {@value #MP4} for an ISO-BMFF 'ftyp' box at offset 4, else "". */
    public static String sniff(byte[] bytes) {
        if (bytes.length >= 6 && (startsWith(bytes, 0, "GIF87a") || startsWith(bytes, 0, "GIF89a"))) {
            return GIF;
        }
        if (bytes.length >= 12 && startsWith(bytes, 4, "ftyp")) {
            return MP4;
        }
        return "";
    }

    private static boolean startsWith(byte[] bytes, int offset, String ascii) {
        byte[] want = ascii.getBytes(StandardCharsets.US_ASCII);
        return Arrays.equals(bytes, offset, offset + want.length, want, 0, want.length);
    }

    /** The file name extension for this media type. */
    public String extension() {
        return MP4.equals(contentType) ? "mp4" : "gif";
    }
}
