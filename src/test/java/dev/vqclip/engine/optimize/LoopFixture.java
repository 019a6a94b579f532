package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.weights.HostTensor;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import java.nio.file.Path;

/** The shared loop fixture files, as NDArrays. */
final class LoopFixture {
    final StateDict tensors;

    private LoopFixture(StateDict tensors) {
        this.tensors = tensors;
    }

    static Path dir() {
        return Path.of(System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures"));
    }

    static LoopFixture crops() {
        return new LoopFixture(SafetensorsReader.read(dir().resolve("loop_tiny_crops.safetensors")));
    }

    static LoopFixture pool() {
        return new LoopFixture(SafetensorsReader.read(dir().resolve("loop_tiny_pool.safetensors")));
    }

    NDArray array(NDManager m, String name) {
        HostTensor t = tensors.get(name);
        return m.create(t.toFloats(), new Shape(t.shape()));
    }

    float[] floats(String name) {
        return tensors.get(name).toFloats();
    }

    long[] longs(String name) {
        return tensors.get(name).toLongs();
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
