package dev.vqclip.discord;

/**
 * The /imagine options a user set; every field is null when not given, and the job system applies its own
 * defaults and limits (so the bot never duplicates them).
 *
 * @param size   "WxH" (e.g. "512x512") or null
 * @param aspect "W:H" (e.g. "16:9") or null; size wins when both are given
 * @param model  a VQGAN model name from the catalogue, or null
 * @param drawer "vqgan" or "pixel", or null
 */
public record ImagineOptions(Long seed, String size, String aspect, Integer iterations, ImageInput initImage,
                             ImageInput targetImage, String model, String drawer) {
    public static final ImagineOptions NONE = new ImagineOptions(null, null, null, null, null, null, null, null);

    public ImagineOptions {
        if (size != null && !size.matches("\\d{1,4}x\\d{1,4}")) {
            throw new IllegalArgumentException("size must look like 512x512, got '" + size + "'");
        }
        if (aspect != null && !aspect.matches("\\d{1,2}:\\d{1,2}")) {
            throw new IllegalArgumentException("aspect must look like 16:9, got '" + aspect + "'");
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
    }
}
