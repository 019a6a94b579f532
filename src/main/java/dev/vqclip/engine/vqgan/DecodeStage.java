package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * One stage of the decode chain, named after the taming modules it runs ({@code up.0.block.1}, {@code up.3.upsample},
 * ...). A stage leaves its input open.
 *
 * @param fullResolution whether the stage works at the output's resolution (the top level and norm_out + conv_out)
 */
public record DecodeStage(String name, boolean fullResolution, UnaryOperator<NDArray> op) {
    public DecodeStage {
        if (name == null || name.isBlank() || op == null) {
            throw new IllegalArgumentException("a decode stage needs a name and an operation, got '" + name + "'");
        }
    }

    NDArray apply(NDArray x) {
        return op.apply(x);
    }
}
