package dev.vqclip.bench.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.GroupNorm;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The decoder's building blocks at its full-resolution width (128 channels) on an H×W input, each alone, forward with
 * the graph and backward of the sum, and the alternatives measured for them: a 3×3 convolution on an NCHW input and on a
 * channels-last (NHWC-strided) one, group norm, swish, the 128 → 3 output convolution with its weight zero-padded to 16
 * filters (as {@link Conv2d} does on the CPU) and without, nearest ×2 upsampling by interpolation and by repeat.
 */
public final class OpProfile {
    /** One operation's medians in milliseconds. */
    public record Row(String op, double forwardMs, double backwardMs) {
    }

    private static final int CHANNELS = 128;

    private OpProfile() {
    }

    public static List<Row> run(Device device, int width, int height, int repeats, long seed) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        List<Row> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray x = m.randomNormal(new Shape(1, CHANNELS, height, width));
            NDArray nhwc;
            try (NDArray t = x.transpose(0, 2, 3, 1); NDArray dense = t.toDevice(t.getDevice(), true)) {
                nhwc = dense.transpose(0, 3, 1, 2);                 // NCHW shape, NHWC strides
            }
            Conv2d conv = new Conv2d(m.randomNormal(new Shape(CHANNELS, CHANNELS, 3, 3)).mul(0.03), m.zeros(new Shape(CHANNELS)), 1, 1);
            NDArray w3 = m.randomNormal(new Shape(3, CHANNELS, 3, 3)).mul(0.03);
            Conv2d convOut = new Conv2d(w3, m.zeros(new Shape(3)), 1, 1);
            GroupNorm norm = new GroupNorm(32, 1e-6f, m.ones(new Shape(CHANNELS)), m.zeros(new Shape(CHANNELS)));
            Shape one = new Shape(1, 1);
            rows.add(time("conv 3x3 128->128, NCHW input", x, conv::forward, repeats));
            rows.add(time("conv 3x3 128->128, channels-last input", nhwc, conv::forward, repeats));
            rows.add(time("group norm (layerNorm + affine)", x, norm::forward, repeats));
            rows.add(time("swish x*sigmoid(x)", x, Ops::swish, repeats));
            rows.add(time("conv_out 128->3, padded to 16", x, convOut::forward, repeats));
            rows.add(time("conv_out 128->3, unpadded", x, in -> in.getNDArrayInternal()
                    .convolution(in, w3, null, one, one, one, 1).singletonOrThrow(), repeats));
            long[] twice = {2L * height, 2L * width};
            rows.add(time("nearest x2 by interpolate", x, in -> in.getNDArrayInternal().interpolation(twice, 0, false), repeats));
            rows.add(time("nearest x2 by repeat", x, in -> in.repeat(2, 2).repeat(3, 2), repeats));
        }
        return rows;
    }

    private static Row time(String name, NDArray x, UnaryOperator<NDArray> op, int repeats) {
        double[] ms = forwardBackwardMs(x, op, repeats);
        return new Row(name, ms[0], ms[1]);
    }

    /**
     * Medians over {@code repeats} (after one warm-up) of {@code op} on a fresh copy of {@code x} that requires
     * gradients: {forward with the graph recorded, backward of the sum of the output} in milliseconds.
     */
    static double[] forwardBackwardMs(NDArray x, UnaryOperator<NDArray> op, int repeats) {
        double[] forward = new double[repeats];
        double[] backward = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray in = x.duplicate();
                in.setRequiresGradient(true);
                long t0 = System.nanoTime();
                NDArray y = op.apply(in);
                long t1 = System.nanoTime();
                gc.backward(y.sum());
                long t2 = System.nanoTime();
                if (r >= 0) {
                    forward[r] = (t1 - t0) / 1e6;
                    backward[r] = (t2 - t1) / 1e6;
                }
            }
        }
        return new double[] {LoopBenchmark.median(forward), LoopBenchmark.median(backward)};
    }
}
