package dev.vqclip.discord;

/** An image a user attached (init or target image): the original attachment bytes, never the media-proxy copy. */
public record ImageInput(String filename, byte[] bytes) {
    /** Discord's per-file upload limit since 2025-01-16; nothing bigger can have been attached. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;

    public ImageInput {
        if (filename == null || filename.isBlank()) {
            throw new IllegalArgumentException("an image input needs a file name");
        }
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("image " + filename + " must have 1.." + MAX_BYTES + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
    }
}
