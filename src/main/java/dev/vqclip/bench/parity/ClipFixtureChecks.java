package dev.vqclip.bench.parity;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.clip.ClipNormalize;
import dev.vqclip.engine.weights.ClipConfigs;
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
        ModelFixture f = ModelFixture.read(dir, stem);
        ClipConfig config = ClipConfigs.fromMetadataJson(f.configJson());
        try (ClipModel model = ClipModel.load(f.weights(), config, Device.cpu());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray normalized = ClipNormalize.apply(f.input(m, "pixels01"));
            return List.of(
                    f.check("encode_image_in", normalized, 5e-6),
                    f.check("encode_image_out", model.encodeImage(f.input(m, "encode_image_in")), 1e-5),
                    f.check("encode_text_out", model.encodeText(f.input(m, "tokens")), 5e-5));
        }
    }
}
