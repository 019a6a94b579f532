package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Pixel art, after the idea of pixray's PixelDraw (T. White): the parameter is a coarse colour grid
 * {@code [1, 3, cellsY, cellsX]} in [0, 1], shown with nearest-neighbour upscaling to the output size and guided
 * by the same CLIP loss. The upscaling is two 0/1 matrices ({@code Uy @ grid @ Uxᵀ}), so it is differentiable and
 * works for sizes that are not multiples of the grid. After every step the grid is clamped to [0, 1].
 */
final class PixelDrawer implements Drawer {
    public static final String NAME = "pixel";
    /** Cells along the long side by default: pixray's widescreen grid is 80×45. */
    public static final int DEFAULT_LONG_SIDE_CELLS = 80;

    private final NDManager manager;
    private final NDArray grid;   // [1, 3, cy, cx]
    private final NDArray upY;    // [H, cy]
    private final NDArray upXT;   // [cx, W]
    private final int width;
    private final int height;

    private PixelDrawer(NDManager manager, NDArray grid, NDArray upY, NDArray upXT, int width, int height) {
        this.manager = manager;
        this.grid = grid;
        this.upY = upY;
        this.upXT = upXT;
        this.width = width;
        this.height = height;
        grid.setRequiresGradient(true);
    }

    /** Random colours on a grid of {@code cellsX × cellsY} cells, drawn from {@code rng}. */
    public static PixelDrawer create(NDManager parent, int width, int height, int cellsX, int cellsY, SplittableRandom rng) {
        if (width < 1 || height < 1 || cellsX < 1 || cellsY < 1 || cellsX > width || cellsY > height) {
            throw new IllegalArgumentException("a pixel grid needs 1 <= cells <= pixels per side, got " + cellsX + "x"
                    + cellsY + " cells for " + width + "x" + height);
        }
        float[] colours = new float[3 * cellsY * cellsX];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = (float) rng.nextDouble();
        }
        return fromColours(parent, width, height, cellsX, cellsY, colours);
    }

    /** Starts from the given cell colours, planar RGB {@code [3, cellsY, cellsX]} in [0, 1]. */
    public static PixelDrawer fromColours(NDManager parent, int width, int height, int cellsX, int cellsY, float[] colours) {
        if (width < 1 || height < 1 || cellsX < 1 || cellsY < 1 || cellsX > width || cellsY > height) {
            throw new IllegalArgumentException("a pixel grid needs 1 <= cells <= pixels per side, got " + cellsX + "x"
                    + cellsY + " cells for " + width + "x" + height);
        }
        if (colours.length != 3 * cellsX * cellsY) {
            throw new IllegalArgumentException("expected " + 3 * cellsX * cellsY + " colour values, got " + colours.length);
        }
        NDManager m = parent.newSubManager();
        try (NDScope scope = new NDScope()) {
            NDArray grid = Keep.in(m, m.create(colours, new Shape(1, 3, cellsY, cellsX)));
            NDArray upY = Keep.in(m, m.create(nearest(cellsY, height), new Shape(height, cellsY)));
            NDArray upX = Keep.in(m, m.create(nearest(cellsX, width), new Shape(width, cellsX)).transpose().duplicate());
            return new PixelDrawer(m, grid, upY, upX, width, height);
        }
    }

    /**
     * The default grid for an image: {@value #DEFAULT_LONG_SIDE_CELLS} cells on the long side (or one per pixel for
     * smaller images), the short side in proportion; returns {cellsX, cellsY}.
     */
    public static int[] defaultCells(int width, int height) {
        double scale = Math.min(1.0, (double) DEFAULT_LONG_SIDE_CELLS / Math.max(width, height));
        int cx = Math.max(1, Math.min(width, (int) Math.round(width * scale)));
        int cy = Math.max(1, Math.min(height, (int) Math.round(height * scale)));
        return new int[] {cx, cy};
    }

    /** PyTorch's nearest rule, source index floor(dst·in/out), as a 0/1 matrix {@code [out, in]}. */
    private static float[] nearest(int in, int out) {
        float[] m = new float[out * in];
        for (int o = 0; o < out; o++) {
            int src = Math.min(in - 1, (int) Math.floor(o * (double) in / out));
            m[o * in + src] = 1f;
        }
        return m;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public NDArray parameters() {
        return grid;
    }

    @Override
    public NDArray render() {
        return upY.matMul(grid).matMul(upXT);   // [1, 3, H, W]
    }

    @Override
    public void afterStep() {
        try (NDScope scope = new NDScope()) {
            grid.set(new NDIndex(":"), grid.clip(0f, 1f));   // in place on the device (copyTo goes via the host)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
