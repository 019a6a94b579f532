package dev.vqclip.engine.optimize;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Which drawer to build and how to start it.
 *
 * @param name      {@value VqganDrawer#NAME} or {@value PixelDrawer#NAME}
 * @param initImage a start picture, or null
 * @param initNoise "none", "pixels" or "gradient" (used when there is no init image)
 */
public record DrawerRequest(String name, int width, int height, BufferedImage initImage, String initNoise) {
    public static final List<String> NAMES = List.of(VqganDrawer.NAME, PixelDrawer.NAME);
    public static final List<String> NOISES = List.of("none", "pixels", "gradient");

    public DrawerRequest {
        name = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown drawer '" + name + "': expected one of " + NAMES);
        }
        initNoise = initNoise == null || initNoise.isBlank() ? "none" : initNoise.trim().toLowerCase(Locale.ROOT);
        if (!NOISES.contains(initNoise)) {
            throw new IllegalArgumentException("unknown init noise '" + initNoise + "': expected one of " + NOISES);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("drawer size must be positive, got " + width + "x" + height);
        }
    }
}
