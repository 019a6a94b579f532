package dev.vqclip.bench.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.weights.StateDict;
import java.nio.file.Path;

/**
 * One model's fixture pair: {@code <stem>.weights.safetensors} (config in its metadata) and
 * {@code <stem>.io.safetensors} (inputs and upstream outputs). Checks are named {@code <stem>/<tensor>} after the
 * stored output they compare with.
 */
record ModelFixture(String stem, StateDict weights, StateDict io) {

    ModelFixture {
        if (stem == null || stem.isBlank()) {
            throw new IllegalArgumentException("a model fixture needs a file stem, got " + stem);
        }
        if (weights == null || io == null) {
            throw new IllegalArgumentException("model fixture " + stem + " needs both its weights and io files");
        }
    }

    static ModelFixture read(Path dir, String stem) {
        return new ModelFixture(stem, Fixtures.read(dir, stem, "weights"), Fixtures.read(dir, stem, "io"));
    }

    /** The model config JSON the weights file carries. */
    String configJson() {
        return Fixtures.configJson(weights);
    }

    /** A stored input as an array in {@code m}. */
    NDArray input(NDManager m, String tensor) {
        return Fixtures.array(m, io.get(tensor));
    }

    /** {@code actual} against the stored output {@code tensor}. */
    FixtureCheck check(String tensor, NDArray actual, double tol) {
        return FixtureCheck.compare(stem + "/" + tensor, actual, io.get(tensor), tol);
    }
}
