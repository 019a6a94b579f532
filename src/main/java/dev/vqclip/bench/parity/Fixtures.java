package dev.vqclip.bench.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.weights.HostTensor;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.WeightsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading fixture files by their standard names and turning stored tensors into arrays. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code <dir>/<stem>.<kind>.safetensors}, e.g. vqgan_tiny.io.safetensors. */
    static StateDict read(Path dir, String stem, String kind) {
        Path file = dir.resolve(stem + "." + kind + ".safetensors");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("fixture file missing: " + file);
        }
        return SafetensorsReader.read(file);
    }

    /** The model config JSON a weights file carries in {@code __metadata__.config}. */
    static String configJson(StateDict weights) {
        String json = weights.metadata().get("config");
        if (json == null) {
            throw new WeightsException(weights.source() + " has no __metadata__.config holding the model config");
        }
        return json;
    }

    /** A stored tensor as an array in {@code m}: float tensors as float32, integer tensors as int64. */
    static NDArray array(NDManager m, HostTensor t) {
        Shape shape = new Shape(t.shape());
        if (t.dtype().isFloating()) {
            return m.create(t.toFloats(), shape);
        }
        return m.create(t.toLongs(), shape).toType(DataType.INT64, false);
    }
}
