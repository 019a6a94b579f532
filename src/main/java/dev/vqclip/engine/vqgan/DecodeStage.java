package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One stage of the decode chain, named after the taming modules it runs ({@code up.0.block.1}, {@code up.3.upsample},
 * ...). A stage leaves its input open.
 *
 * @param lean the stage run for a hand-walked backward that recomputes its cheap steps (norm + swish) and
 *             keeps the rest, or null where the stage has none worth recomputing (see {@link StagePass})
 */
public record DecodeStage(String name, UnaryOperator<NDArray> op, Function<NDArray, StagePass> lean) {
    public DecodeStage {
        if (name == null || name.isBlank() || op == null) {
            throw new IllegalArgumentException("a decode stage needs a name and an operation, got '" + name + "'");
        }
    }

    /** A stage with no lean run. */
    public DecodeStage(String name, UnaryOperator<NDArray> op) {
        this(name, op, null);
    }

    NDArray apply(NDArray x) {
        return op.apply(x);
    }

    /** The stage's lean run on {@code x}, or its plain run with the graph kept where it has none. */
    StagePass leanPass(NDArray x) {
        return lean == null ? StagePass.keep(op, x) : lean.apply(x);
    }
}
