package dev.vqclip.bench.parity;

import dev.vqclip.engine.weights.VqganConfigs;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.vqgan.Quantized;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.vqgan.VqganConfig;
import dev.vqclip.engine.weights.StateDict;
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
        StateDict weights = Fixtures.read(dir, stem, "weights");
        StateDict io = Fixtures.read(dir, stem, "io");
        VqganConfig config = VqganConfigs.fromMetadataJson(Fixtures.configJson(weights));
        List<FixtureCheck> checks = new ArrayList<>();
        try (Vqgan model = Vqgan.load(weights, config, Device.cpu());
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = Fixtures.array(m, io.get("image"));
            checks.add(check("encoder_out", model.runEncoder(image), io, 5e-5));
            checks.add(check("quant_conv_out", model.encode(image), io, 1e-5));
            // the quantizer sees upstream's quant_conv_out, so the exact-index check tests the quantizer alone
            try (Quantized q = model.quantize(Fixtures.array(m, io.get("quant_conv_out")))) {
                checks.add(check("quantized", q.zq(), io, 1e-6));
                checks.add(check("indices", q.indices(), io, 0));
                checks.add(check("quantize_loss", q.loss(), io, 1e-7));
            }
            NDArray z = Fixtures.array(m, io.get("decode_z"));
            checks.add(check("post_quant_conv_out", model.runPostQuantConv(z), io, 1e-6));
            checks.add(check("decoded", model.decode(z), io, 5e-5));
            checks.add(check("decoded_rect", model.decode(Fixtures.array(m, io.get("decode_z_rect"))), io, 1e-4));
        }
        return checks;
    }

    private FixtureCheck check(String tensor, NDArray actual, StateDict io, double tol) {
        return FixtureCheck.compare(stem + "/" + tensor, actual, io.get(tensor), tol);
    }
}
