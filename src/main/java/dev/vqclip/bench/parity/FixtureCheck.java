package dev.vqclip.bench.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.vqclip.engine.weights.HostTensor;
import java.util.Arrays;
import java.util.Locale;

/** One compared tensor: the largest absolute difference to the upstream value and the tolerance it must meet. */
public record FixtureCheck(String name, double maxAbsErr, double tol, boolean pass) {

    public FixtureCheck {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a check needs a name");
        }
        if (!(tol >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0 but was " + tol);
        }
    }

    /** Passes when {@code maxAbsErr <= tol}; NaN fails. */
    public static FixtureCheck of(String name, double maxAbsErr, double tol) {
        return new FixtureCheck(name, maxAbsErr, tol, maxAbsErr <= tol);
    }

    /**
     * Compares {@code actual} with {@code expected} element-wise. A shape mismatch fails with an infinite error;
     * integer tensors are compared as integers (use tol 0 for exact).
     */
    public static FixtureCheck compare(String name, NDArray actual, HostTensor expected, double tol) {
        if (!Arrays.equals(actual.getShape().getShape(), expected.shape())) {
            return of(name, Double.POSITIVE_INFINITY, tol);
        }
        double[] a = actual.getDataType().isInteger()
                ? Arrays.stream(actual.toType(DataType.INT64, false).toLongArray()).asDoubleStream().toArray()
                : widen(actual.toType(DataType.FLOAT32, false).toFloatArray());
        return compare(name, a, expected, tol);
    }

    /**
     * Compares values computed on the host with a stored tensor, flattened. A length mismatch fails with an infinite
     * error; integer tensors compare exactly in double, as their values stay far below 2^53.
     */
    public static FixtureCheck compare(String name, double[] actual, HostTensor expected, double tol) {
        double[] e = expected.dtype().isFloating()
                ? widen(expected.toFloats())
                : Arrays.stream(expected.toLongs()).asDoubleStream().toArray();
        if (actual.length != e.length) {
            return of(name, Double.POSITIVE_INFINITY, tol);
        }
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - e[i]);
            if (Double.isNaN(d)) {
                return of(name, Double.NaN, tol);
            }
            max = Math.max(max, d);
        }
        return of(name, max, tol);
    }

    private static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The CLI line: {@code CHECK <name> max_abs_err=<x> tol=<t> PASS|FAIL}. */
    public String line() {
        return String.format(Locale.ROOT, "CHECK %s max_abs_err=%.3e tol=%.1e %s", name, maxAbsErr, tol,
                pass ? "PASS" : "FAIL");
    }
}
