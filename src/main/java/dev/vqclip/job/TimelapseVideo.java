package dev.vqclip.job;

/**
 * A short video of a job's run, built from its previews.
 *
 * @param contentType the media type ("image/gif")
 * @param frames      how many frames it holds
 */
public record TimelapseVideo(String contentType, int frames, byte[] bytes) {
    public TimelapseVideo {
        if (contentType == null || !contentType.matches("[a-z]+/[a-z0-9.+-]+")) {
            throw new IllegalArgumentException("a timelapse needs a media type like image/gif, got '" + contentType + "'");
        }
        if (frames < 1 || bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("a timelapse needs at least one frame and some bytes, got " + frames
                    + " frames and " + (bytes == null ? "no" : bytes.length) + " bytes");
        }
    }

    /** The file name extension for this media type. */
    public String extension() {
        return contentType.substring(contentType.indexOf('/') + 1);
    }
}
