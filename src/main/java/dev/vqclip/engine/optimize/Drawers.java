package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
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

    /**
     * The images of several drawers of one kind and size, stacked on dim 0: {@code [B, 3, H, W]}, row b being
     * drawer b's {@link Drawer#render()}. VQGAN drawers on one codec decode once for all ({@link
     * VqganDrawer#renderStacked}); pixel drawers are cheap and render one by one. A single drawer renders as alone.
     */
    public static NDArray renderStacked(List<Drawer> drawers) {
        if (drawers.isEmpty()) {
            throw new IllegalArgumentException("no drawers to render");
        }
        if (drawers.size() == 1) {
            return drawers.get(0).render();
        }
        if (drawers.stream().allMatch(d -> d instanceof VqganDrawer)) {
            return VqganDrawer.renderStacked(drawers.stream().map(d -> (VqganDrawer) d).toList());
        }
        NDList images = new NDList(drawers.size());
        for (Drawer d : drawers) {
            images.add(d.render());
        }
        return NDArrays.concat(images, 0);
    }

    /**
     * One optimizer step's image of several drawers ({@link #renderStacked}) and how its gradient reaches each
     * drawer's parameters. With decoder checkpointing, VQGAN drawers still decode once for all ({@link
     * VqganDrawer#renderStackedCheckpointed}) and other drawers render {@link Drawer#renderCheckpointed} one by one;
     * without, the stacked image stays in the graph.
     */
    static Rendering renderStep(List<Drawer> drawers, DecoderCheckpoint checkpoint) {
        if (checkpoint == DecoderCheckpoint.NONE) {
            return Rendering.attached(renderStacked(drawers));
        }
        if (drawers.size() == 1) {
            return drawers.get(0).renderCheckpointed(checkpoint);
        }
        if (drawers.stream().allMatch(d -> d instanceof VqganDrawer)) {
            return VqganDrawer.renderStackedCheckpointed(drawers.stream().map(d -> (VqganDrawer) d).toList(), checkpoint);
        }
        List<Rendering> parts = drawers.stream().map(d -> d.renderCheckpointed(checkpoint)).toList();
        NDList images = new NDList(parts.size());
        parts.forEach(r -> images.add(r.image()));
        return Rendering.of(NDArrays.concat(images, 0), (gc, grad) -> {
            NDArray sum = null;
            for (int k = 0; k < parts.size(); k++) {
                NDArray s = parts.get(k).surrogate(gc, grad.get(k + ":" + (k + 1)));
                sum = sum == null ? s : sum.add(s);
            }
            return sum;
        });
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
