package dev.vqclip.bench.parity;

import dev.vqclip.engine.weights.ClipConfigs;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.clip.ClipNormalize;
import dev.vqclip.engine.weights.StateDict;
import java.nio.file.Path;
import java.util.List;

/**
 * CLIP against openai/CLIP: {@code <stem>.weights.safetensors} (config in its metadata) and
 * {@code <stem>.io.safetensors}. Tolerances are fixtures/README.md's "suggested atol" column.
 */
public final class ClipFixtureChecks implements FixtureCheckGroup {
    private final String stem;

    public ClipFixtureChecks(String stem) {
        this.stem = stem;
    }

    @Override
    public String name() {
        return "clip";
    }

    @Override
    public List<FixtureCheck> run(Path dir) {
        StateDict weights = Fixtures.read(dir, stem, "weights");
        StateDict io = Fixtures.read(dir, stem, "io");
        ClipConfig config = ClipConfigs.fromMetadataJson(Fixtures.configJson(weights));
        try (ClipModel model = ClipModel.load(weights, config, Device.cpu());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray normalized = ClipNormalize.apply(Fixtures.array(m, io.get("pixels01")));
            return List.of(
                    check("encode_image_in", normalized, io, 5e-6),
                    check("encode_image_out", model.encodeImage(Fixtures.array(m, io.get("encode_image_in"))), io, 1e-5),
                    check("encode_text_out", model.encodeText(Fixtures.array(m, io.get("tokens"))), io, 5e-5));
        }
    }

    private FixtureCheck check(String tensor, NDArray actual, StateDict io, double tol) {
        return FixtureCheck.compare(stem + "/" + tensor, actual, io.get(tensor), tol);
    }
}
