package dev.vqclip.bench.parity;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.vqgan.Quantized;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.vqgan.VqganConfig;
import dev.vqclip.engine.weights.VqganConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * VQGAN against taming-transformers: {@code <stem>.weights.safetensors} (config in its metadata) and
 * {@code <stem>.io.safetensors} (inputs and upstream outputs, see fixtures/README.md). Tolerances are the README's
 * "suggested atol" column (10x the spread seen across threads, BLAS and float64 reruns of upstream).
 */
public final class VqganFixtureChecks implements FixtureCheckGroup {
    private final String stem;

    public VqganFixtureChecks(String stem) {
        this.stem = stem;
    }

    @Override
    public String name() {
        return "vqgan";
    }

    @Override
    public List<FixtureCheck> run(Path dir) {
        ModelFixture f = ModelFixture.read(dir, stem);
        VqganConfig config = VqganConfigs.fromMetadataJson(f.configJson());
        List<FixtureCheck> checks = new ArrayList<>();
        try (Vqgan model = Vqgan.load(f.weights(), config, Device.cpu());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = f.input(m, "image");
            checks.add(f.check("encoder_out", model.runEncoder(image), 5e-5));
            checks.add(f.check("quant_conv_out", model.encode(image), 1e-5));
            // the quantizer sees upstream's quant_conv_out, so the exact-index check tests the quantizer alone
            try (Quantized q = model.quantize(f.input(m, "quant_conv_out"))) {
                checks.add(f.check("quantized", q.zq(), 1e-6));
                checks.add(f.check("indices", q.indices(), 0));
                checks.add(f.check("quantize_loss", q.loss(), 1e-7));
            }
            NDArray z = f.input(m, "decode_z");
            checks.add(f.check("post_quant_conv_out", model.runPostQuantConv(z), 1e-6));
            checks.add(f.check("decoded", model.decode(z), 5e-5));
            checks.add(f.check("decoded_rect", model.decode(f.input(m, "decode_z_rect")), 1e-4));
        }
        return checks;
    }
}
