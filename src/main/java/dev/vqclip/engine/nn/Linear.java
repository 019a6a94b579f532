package dev.vqclip.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.Linear}: {@code x @ weightᵀ + bias}.
 *
 * <p>On the CPU in float32, where {@link CpuMatmul} says so, the product runs as a 1×1 convolution with the rows as
 * the spatial axis ({@code [1, in, rows, 1]}): the same float32 arithmetic in another summation order (parity tests
 * hold at their tolerances). Elsewhere (GPU, half precision, few rows) {@code linear} is used as it is.
 */
public final class Linear {
    /** Below this many rows the convolution's layout reorders cost more than the kernel gains. */
    static final long MIN_ROWS_FOR_CONV = 64;
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);

    private final NDArray weight;   // [out, in]
    private final NDArray weight4;  // [out, in, 1, 1], a view of weight
    private final NDArray bias;     // [out]

    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
        Shape s = weight.getShape();
        this.weight4 = Params.keep(weight.reshape(s.get(0), s.get(1), 1, 1));
    }

    public static Linear load(Params p, String prefix, DataType type) {
        return new Linear(p.get(prefix + ".weight", type), p.get(prefix + ".bias", type));
    }

    /** [..., in] -> [..., out]. */
    public NDArray forward(NDArray x) {
        return forward(x, CpuMatmul.current());
    }

    NDArray forward(NDArray x, CpuMatmul route) {
        Shape s = x.getShape();
        long in = s.get(s.dimension() - 1);
        long rows = s.size() / in;
        if (route != CpuMatmul.CONV1X1 || !convolutionPays(x, rows)) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
        long out = weight.getShape().get(0);
        NDArray columns = x.reshape(rows, in).transpose(1, 0).reshape(1, in, rows, 1);          // [1, in, rows, 1]
        NDArray y = columns.getNDArrayInternal()
                .convolution(columns, weight4, bias, ONE, ZERO, ONE, 1).singletonOrThrow();     // [1, out, rows, 1]
        return y.reshape(out, rows).transpose(1, 0).reshape(s.slice(0, s.dimension() - 1).add(out)); // [..., out]
    }

    private static boolean convolutionPays(NDArray x, long rows) {
        return rows >= MIN_ROWS_FOR_CONV && x.getDataType() == DataType.FLOAT32 && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    }
}
