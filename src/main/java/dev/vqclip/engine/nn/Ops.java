package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Element-wise activations, a differentiable dtype cast, nearest-row search, row gathering and native-memory scoping. */
public final class Ops {
    private Ops() {
    }

    /**
     * An array that owns its native memory. On the CPU, {@code NDManager.create(float[])} wraps a Java direct buffer
     * ({@code from_blob}); views, autograd-saved tensors and same-type {@code toType} results of such an array point
     * into that buffer and dangle once its Java handle is closed. Weights and constants are therefore cloned.
     */
    public static NDArray constant(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** swish / SiLU {@code x·sigmoid(x)} (taming {@code nonlinearity}). */
    public static NDArray swish(NDArray x) {
        try (NDArray s = x.getNDArrayInternal().sigmoid()) {
            return x.mul(s);
        }
    }

    /** QuickGELU {@code x·sigmoid(1.702x)} (OpenAI CLIP {@code model.py}). */
    public static NDArray quickGelu(NDArray x) {
        // The 1.702 must be a libtorch-owned tensor: a Number operand becomes a tensor over a Java buffer that DJL
        // frees right after the op, while autograd keeps it for the backward of mul (sporadic NaN gradients).
        try (NDArray k = x.getManager().full(new Shape(), 1.702f, x.getDataType());
             NDArray scaled = x.mul(k); NDArray s = scaled.getNDArrayInternal().sigmoid()) {
            return x.mul(s);
        }
    }

    /**
     * {@code x} as {@code type}, keeping the autograd graph. DJL's {@code toType} runs under a no-grad guard and cuts
     * the graph (reference/djl.md §6); a cumulative product over a new axis of length 1 is the identity, and torch's
     * {@code cumprod(dim, dtype)} casts first and differentiates through the cast.
     */
    public static NDArray castDifferentiably(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        try (NDArray col = x.expandDims(-1); NDArray cast = col.cumProd(-1, type)) {
            return cast.squeeze(-1);
        }
    }

    /**
     * For every row of {@code x [M, E]}, the index of the nearest row of a table by squared Euclidean distance:
     * int64 {@code [M]}. The argmin needs only {@code |e|² − 2·x·e}: {@code |x|²} is the same for every row of the
     * table, and adding it would round away part of the small gaps between neighbouring codes.
     * {@code minusTwoTableT} is {@code −2·tableᵀ [E, n]} (scaling by 2 is exact in float), {@code squaredNorms} is
     * {@code |e|² [n]}.
     */
    public static NDArray nearestRows(NDArray x, NDArray minusTwoTableT, NDArray squaredNorms) {
        return x.matMul(minusTwoTableT).add(squaredNorms).argMin(1);
    }

    /** Rows {@code table[indices]} ({@code F.embedding}): a gather, never a one-hot matmul. Result in indices' manager. */
    public static NDArray gatherRows(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Applies {@code f} and closes the previous activation, so a long chain of layers keeps one live tensor. */
    public static NDArray advance(NDArray h, UnaryOperator<NDArray> f) {
        NDArray next = f.apply(h);
        if (next != h) {
            h.close();
        }
        return next;
    }

    /**
     * Runs {@code body} in its own {@link NDScope}: every array it creates is freed at the end except the result, which
     * is attached to {@code owner} and registered in the caller's scope (if any). Autograd keeps what backward needs,
     * so freeing the Java handles of intermediates is safe inside a gradient collector.
     */
    public static NDArray scoped(NDManager owner, Supplier<NDArray> body) {
        return scopedList(owner, () -> new NDList(body.get())).singletonOrThrow();
    }

    /** {@link #scoped} for several results. */
    public static NDList scopedList(NDManager owner, Supplier<NDList> body) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = body.get();
            NDScope.unregister(out);
        }
        for (NDArray a : out) {
            a.attach(owner);
            NDScope.register(a);
        }
        return out;
    }
}
