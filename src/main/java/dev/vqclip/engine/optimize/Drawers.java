package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/** Builds the drawer a {@link DrawerRequest} names. */
public final class Drawers {
    private Drawers() {
    }

    /**
     * @param codec the VQGAN (needed by the vqgan drawer only; may be null for pixel)
     * @param rng   seeded generator for the random start (draws happen here, before the loop)
     */
    public static Drawer create(DrawerRequest request, LatentCodec codec, NDManager manager, SplittableRandom rng) {
        return switch (request.name()) {
            case VqganDrawer.NAME -> vqgan(request, codec, rng);
            case PixelDrawer.NAME -> pixel(request, manager, rng);
            default -> throw new IllegalArgumentException("unknown drawer '" + request.name() + "': expected one of "
                    + DrawerRequest.NAMES);
        };
    }

    private static Drawer vqgan(DrawerRequest r, LatentCodec codec, SplittableRandom rng) {
        if (codec == null) {
            throw new IllegalArgumentException("the vqgan drawer needs a VQGAN model");
        }
        int f = codec.factor();
        int w = r.width() / f * f;
        int h = r.height() / f * f;
        if (r.initImage() != null) {
            return VqganDrawer.fromPixels(codec, InitImages.lanczosResize(r.initImage(), w, h), w, h);
        }
        return switch (r.initNoise()) {
            case "pixels" -> VqganDrawer.fromPixels(codec, InitImages.pixelNoise(w, h, rng), w, h);
            case "gradient" -> VqganDrawer.fromPixels(codec, InitImages.gradientNoise(w, h, rng), w, h);
            default -> VqganDrawer.fromRandomCodes(codec, w, h, rng);
        };
    }

    private static Drawer pixel(DrawerRequest r, NDManager manager, SplittableRandom rng) {
        int[] cells = PixelDrawer.defaultCells(r.width(), r.height());
        int cx = cells[0];
        int cy = cells[1];
        if (r.initImage() != null) {
            return PixelDrawer.fromColours(manager, r.width(), r.height(), cx, cy,
                    InitImages.lanczosResize(r.initImage(), cx, cy));
        }
        return switch (r.initNoise()) {
            case "pixels" -> PixelDrawer.fromColours(manager, r.width(), r.height(), cx, cy, InitImages.pixelNoise(cx, cy, rng));
            case "gradient" -> PixelDrawer.fromColours(manager, r.width(), r.height(), cx, cy,
                    InitImages.gradientNoise(cx, cy, rng));
            default -> PixelDrawer.create(manager, r.width(), r.height(), cx, cy, rng);
        };
    }
}
