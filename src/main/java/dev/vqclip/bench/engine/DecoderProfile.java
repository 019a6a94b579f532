package dev.vqclip.bench.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.vqgan.DecodeStage;
import dev.vqclip.engine.vqgan.Vqgan;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-stage timings of the VQGAN decode (post_quant_conv, conv_in + mid, every ResnetBlock (+ attention), every
 * upsample, norm_out + conv_out), measured as scripts/refbench/upstream_decoder_profile.py measures taming's modules:
 * each stage alone on its real input (the previous stage's output), forward with the graph recorded, then the
 * backward of the sum of its output into its input; median of the repeats after one warm-up.
 */
public final class DecoderProfile {
    /** One stage's output shape (as "(1, 128, 256, 256)") and its medians in milliseconds. */
    public record Row(String stage, String output, double forwardMs, double backwardMs) {
    }

    private DecoderProfile() {
    }

    public static List<Row> run(Vqgan vqgan, int width, int height, int repeats, long seed) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        int f = vqgan.factor();
        List<Row> rows = new ArrayList<>();
        try (NDManager m = vqgan.manager().newSubManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray x = m.randomNormal(new Shape(1, vqgan.config().embedDim(), height / f, width / f));
            for (DecodeStage stage : vqgan.decodeStages()) {
                double[] ms = OpProfile.forwardBackwardMs(x, stage.op(), repeats);
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = stage.op().apply(x);
                    NDScope.unregister(next);
                }
                x.close();
                x = next;
                rows.add(new Row(stage.name(), x.getShape().toString(), ms[0], ms[1]));
            }
            x.close();
        }
        return rows;
    }
}
