package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;

/** A drawer's image for one step, and how a gradient on that image reaches the drawer's parameters. */
interface Rendering {

    /** {@code [B, 3, H, W]} (one row per drawer) on the [0, 1] scale before clamping; the loop treats it as a value (it may be detached). */
    NDArray image();

    /**
     * Given d loss / d image, a scalar whose backward puts the matching gradient on the parameters (it may run
     * backward passes of its own first). Call once, inside the step's gradient collector.
     */
    NDArray surrogate(GradientCollector gc, NDArray gradImage);

    /** An image still attached to the parameters' graph: the surrogate is {@code Σ image · g}. */
    static Rendering attached(NDArray image) {
        return of(image, (gc, g) -> image.mul(g).sum());
    }

    /** An image and the function that turns d loss / d image into the surrogate. */
    static Rendering of(NDArray image, BiFunction<GradientCollector, NDArray, NDArray> surrogate) {
        return new Rendering() {
            @Override
            public NDArray image() {
                return image;
            }

            @Override
            public NDArray surrogate(GradientCollector gc, NDArray gradImage) {
                return surrogate.apply(gc, gradImage);
            }
        };
    }
}
