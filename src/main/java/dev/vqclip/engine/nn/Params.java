package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A model's named parameters (upstream state_dict keys) on its manager's device. A model constructor takes each of
 * its weights from here by key; afterwards {@link #requireAllUsed()} proves that the architecture consumed exactly
 * the keys its {@code expectedShapes} declares, so the shape table and the forward code cannot drift apart.
 */
public final class Params {
    private final NDManager manager;
    private final Map<String, long[]> shapes;
    private final Function<String, float[]> values;
    private final Set<String> unused;
    private final ByteBuffer staging; // one direct buffer every weight passes through on its way into the engine

    private Params(NDManager manager, Map<String, long[]> shapes, Function<String, float[]> values) {
        this.manager = manager;
        this.shapes = new LinkedHashMap<>(shapes);
        this.values = values;
        this.unused = new LinkedHashSet<>(shapes.keySet());
        long most = shapes.values().stream().mapToLong(sh -> Arrays.stream(sh).reduce(1, (a, b) -> a * b)).max().orElse(0);
        this.staging = ByteBuffer.allocateDirect(Math.toIntExact(most * Float.BYTES)).order(ByteOrder.nativeOrder());
    }

    private Params(NDManager manager, Params same) {
        this.manager = manager;
        this.shapes = same.shapes;
        this.values = same.values;
        this.unused = same.unused;
        this.staging = same.staging;
    }

    /**
     * The same weights and bookkeeping, with the arrays made in {@code other} (e.g. a sub-manager, so that one part of
     * a model can be freed on its own).
     */
    public Params on(NDManager other) {
        return new Params(other, this);
    }

    /**
     * Weights from a checkpoint: the key set and every shape are checked against {@code shapes} before anything is
     * copied; values of any float dtype are widened to float32 on the host (BF16 never reaches the engine).
     */
    public static Params fromCheckpoint(NamedWeights weights, Map<String, long[]> shapes, NDManager manager) {
        weights.requireExactly(shapes);
        return new Params(manager, shapes, weights::floats);
    }

    /**
     * Seeded stand-in weights of the right shapes, for benchmarks and smoke tests: norm scales 1, biases 0, other
     * tensors uniform in ±1/sqrt(fan_in) (PyTorch's default init scale), so activations stay in a sane range.
     * Each tensor has its own generator derived from (seed, key): the values do not depend on the order of requests.
     */
    public static Params random(Map<String, long[]> shapes, NDManager manager, long seed) {
        return new Params(manager, shapes, key -> randomValues(key, shapes.get(key), seed));
    }

    public NDManager manager() {
        return manager;
    }

    /** The shape declared for {@code key}. */
    public long[] shape(String key) {
        long[] s = shapes.get(key);
        if (s == null) {
            throw new IllegalArgumentException("the architecture has no parameter '" + key + "'");
        }
        return s.clone();
    }

    /** The float32 weight under {@code key}. */
    public NDArray get(String key) {
        return get(key, DataType.FLOAT32);
    }

    /**
     * The weight under {@code key} as {@code type}. The array is owned by the model's manager and removed from any
     * open {@link NDScope}, so loading a model inside a scope does not free its weights at the scope's end.
     */
    public NDArray get(String key, DataType type) {
        long[] shape = shape(key);
        if (!unused.remove(key)) {
            throw new IllegalStateException("parameter '" + key + "' was requested twice");
        }
        NDArray a = copyIn(values.apply(key), new Shape(shape));
        NDScope.unregister(a);
        if (type != DataType.FLOAT32) {
            NDArray cast = a.toType(type, false);
            NDScope.unregister(cast);
            a.close();
            a = cast;
        }
        return a;
    }

    /**
     * {@link Ops#constant} through one reused staging buffer. DJL stages a {@code float[]} through a fresh direct
     * buffer that is freed only when the collector runs; one per weight leaves a weight-sized hole in the native heap
     * between every two weights, too small for the activations that come later, so the process's resident memory
     * keeps a second copy's worth of free space after the build.
     */
    private NDArray copyIn(float[] values, Shape shape) {
        ByteBuffer bytes = staging.duplicate().order(ByteOrder.nativeOrder());
        bytes.asFloatBuffer().put(values);
        bytes.limit(values.length * Float.BYTES);
        try (NDArray wrapped = manager.create(bytes, shape, DataType.FLOAT32)) {
            return wrapped.duplicate();
        }
    }

    /** Marks a checkpoint key the forward pass does not need (e.g. CLIP's {@code logit_scale}). */
    public void skip(String key) {
        shape(key);
        unused.remove(key);
    }

    /** Fails when a declared key was never taken: the shape table lists something the model does not build. */
    public void requireAllUsed() {
        if (!unused.isEmpty()) {
            throw new IllegalStateException("declared parameters never used by the model: " + unused);
        }
    }

    /**
     * Frees the host-side copies a finished model leaves behind: the float arrays the weights were read into and the
     * direct buffers DJL stages every tensor through. They are garbage once the model is built, but direct buffers
     * are only released when the collector runs, which with a large heap can be much later; at the real model sizes
     * collecting here lowers the peak RSS of a render by about 250 MiB (measured with {@code vqclip bench}).
     */
    public static void releaseHostCopies() {
        System.gc();
    }

    /** Keeps a derived weight (e.g. a concatenation of loaded ones) out of any open scope, like {@link #get}. */
    public static NDArray keep(NDArray derived) {
        NDScope.unregister(derived);
        return derived;
    }

    private static float[] randomValues(String key, long[] shape, long seed) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        float[] v = new float[n];
        boolean normScale = shape.length == 1 && (key.contains("norm") || key.contains("ln_")) && key.endsWith("weight");
        if (normScale) {
            Arrays.fill(v, 1f);
            return v;
        }
        if (key.endsWith("bias")) {
            return v;
        }
        long fanIn = shape.length >= 2 ? n / shape[0] : n;
        double bound = 1.0 / Math.sqrt(Math.max(1, fanIn));
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        return v;
    }
}
