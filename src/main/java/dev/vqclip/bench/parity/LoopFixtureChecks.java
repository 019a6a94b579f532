package dev.vqclip.bench.parity;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.optimize.Cutouts;
import dev.vqclip.engine.optimize.InitWeight;
import dev.vqclip.engine.optimize.LatentOptimizer;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.optimize.PromptPlan;
import dev.vqclip.engine.optimize.SphericalPrompt;
import dev.vqclip.engine.optimize.StepProbe;
import dev.vqclip.engine.optimize.VqganCodec;
import dev.vqclip.engine.optimize.VqganDrawer;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.HostTensor;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.VqganConfigs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The optimizer loop against nerdyrodent's generate.py step (fixtures {@code loop_tiny_crops} and
 * {@code loop_tiny_pool}; settings from {@code tiny_configs.json}). Runs the real {@link LatentOptimizer} step on
 * the tiny models and compares every recorded intermediate: synth output, cutouts, embeddings, per-prompt losses,
 * total loss, gradient on z, z after Adam and after the clamp, and the three-step trajectory. Tolerances are the
 * fixtures README's suggested atol per file.
 */
public final class LoopFixtureChecks implements FixtureCheckGroup {
    private static final Map<String, Double> CROPS_TOL = Map.ofEntries(
            Map.entry("synth_out", 5e-5), Map.entry("cutouts", 5e-5), Map.entry("image_embeds", 5e-5),
            Map.entry("prompt_embeds", 5e-5), Map.entry("prompt_losses", 1e-5), Map.entry("loss", 1e-5),
            Map.entry("grad_z", 5e-6), Map.entry("z1_before_clamp", 5e-5), Map.entry("z1", 5e-5),
            Map.entry("loss_trajectory", 1e-5), Map.entry("indices_trajectory", 0.0), Map.entry("z3", 1e-4));
    private static final Map<String, Double> POOL_TOL = Map.ofEntries(
            Map.entry("synth_out", 5e-5), Map.entry("cutouts", 5e-5), Map.entry("image_embeds", 5e-5),
            Map.entry("prompt_embeds", 5e-5), Map.entry("prompt_losses", 5e-6), Map.entry("loss", 5e-6),
            Map.entry("grad_z", 5e-6), Map.entry("z1_before_clamp", 5e-5), Map.entry("z1", 5e-5),
            Map.entry("loss_trajectory", 5e-6), Map.entry("indices_trajectory", 0.0), Map.entry("z3", 5e-4));

    private final MemoryPlan memory;

    /** The checks with the default {@link MemoryPlan}, as {@code imagine} runs. */
    public LoopFixtureChecks() {
        this(MemoryPlan.DEFAULT);
    }

    /** The checks with the given memory plan (CLIP groups, decoder checkpointing): each must reach the same numbers. */
    public LoopFixtureChecks(MemoryPlan memory) {
        this.memory = memory;
    }

    @Override
    public String name() {
        return "loop";
    }

    @Override
    public List<FixtureCheck> run(Path dir) {
        LoopSettings settings = LoopSettings.read(dir);
        StateDict vqganWeights = SafetensorsReader.read(dir.resolve("vqgan_tiny.weights.safetensors"));
        StateDict clipWeights = SafetensorsReader.read(dir.resolve("clip_tiny.weights.safetensors"));
        List<FixtureCheck> checks = new ArrayList<>();
        try (Vqgan vqgan = Vqgan.load(vqganWeights, VqganConfigs.fromMetadataJson(Fixtures.configJson(vqganWeights)), Device.cpu());
             ClipModel clip = ClipModel.load(clipWeights, ClipConfigs.fromMetadataJson(Fixtures.configJson(clipWeights)), Device.cpu())) {
            checks.addAll(runOne(dir, "loop_tiny_crops", Cutouts.fixedCrops(settings.cutSize(), settings.crops()),
                    CROPS_TOL, settings, vqgan, clip));
            checks.addAll(runOne(dir, "loop_tiny_pool",
                    Cutouts.pooledPlain(settings.cutSize(), settings.cutn()),
                    POOL_TOL, settings, vqgan, clip));
        }
        return checks;
    }

    private List<FixtureCheck> runOne(Path dir, String stem, Cutouts cutouts, Map<String, Double> tol,
                                             LoopSettings s, Vqgan vqgan, ClipModel clip) {
        StateDict io = SafetensorsReader.read(dir.resolve(stem + ".safetensors"));
        List<FixtureCheck> checks = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            HostTensor tokens = io.get("prompt_tokens");
            NDArray promptEmbeds = clip.encodeText(m.create(tokens.toLongs(), new Shape(tokens.shape())));
            checks.add(compare(stem, "prompt_embeds", promptEmbeds, io, tol));
            List<SphericalPrompt> prompts = new ArrayList<>();
            for (int p = 0; p < s.weights().length; p++) {
                prompts.add(new SphericalPrompt(promptEmbeds.get(new NDIndex("{}:{}", p, p + 1)), s.weights()[p],
                        s.stops()[p], m));
            }
            HostTensor z0 = io.get("z0");
            InitWeight init = s.initWeight() == 0 ? InitWeight.NONE : new InitWeight.DecayingToZero(s.initWeight());
            int steps = s.stepsRecorded();
            try (VqganDrawer drawer = VqganDrawer.fromLatent(new VqganCodec(vqgan),
                    m.create(z0.toFloats(), new Shape(z0.shape())));
                 LatentOptimizer opt = new LatentOptimizer(drawer, clip::encodeImage, cutouts, PromptPlan.of(prompts),
                         new LatentOptimizer.Settings(steps, 0, null, s.adam(), init, 0, memory), Clock.systemUTC())) {
                StepProbe first = new StepProbe() {
                    @Override
                    public void synth(NDArray image) {
                        checks.add(compare(stem, "synth_out", image, io, tol));
                    }

                    @Override
                    public void cutouts(NDArray cut) {
                        checks.add(compare(stem, "cutouts", cut, io, tol));
                    }

                    @Override
                    public void imageEmbeds(NDArray embeds) {
                        checks.add(compare(stem, "image_embeds", embeds, io, tol));
                    }

                    @Override
                    public void gradient(NDArray grad) {
                        checks.add(compare(stem, "grad_z", grad, io, tol));
                    }

                    @Override
                    public void updated(NDArray params) {
                        checks.add(compare(stem, "z1_before_clamp", params, io, tol));
                    }
                };
                double[] losses = new double[steps];
                long[] indices = new long[0];
                for (int i = 0; i < steps; i++) {
                    indices = concat(indices, drawer.indices());
                    LatentOptimizer.StepOutcome out = opt.step(i, false, i == 0 ? first : StepProbe.NONE);
                    losses[i] = out.total();
                    if (i == 0) {
                        List<Double> terms = out.terms();
                        double[] promptLosses = terms.subList(terms.size() - prompts.size(), terms.size()).stream()
                                .mapToDouble(Double::doubleValue).toArray();
                        checks.add(host(stem, "prompt_losses", promptLosses, io, tol));
                        checks.add(host(stem, "loss", new double[] {out.total()}, io, tol));
                        checks.add(compare(stem, "z1", drawer.parameters(), io, tol));
                    }
                }
                checks.add(host(stem, "loss_trajectory", losses, io, tol));
                checks.add(host(stem, "indices_trajectory", Arrays.stream(indices).asDoubleStream().toArray(), io, tol));
                checks.add(compare(stem, "z3", drawer.parameters(), io, tol));
            }
        }
        return checks;
    }

    /** A tensor against the stored output {@code tensor}, at that output's tolerance. */
    private static FixtureCheck compare(String stem, String tensor, NDArray actual, StateDict io, Map<String, Double> tol) {
        return FixtureCheck.compare(stem + "/" + tensor, actual, io.get(tensor), tol.get(tensor));
    }

    /** Values computed on the host against the stored output {@code tensor}, at that output's tolerance. */
    private static FixtureCheck host(String stem, String tensor, double[] actual, StateDict io, Map<String, Double> tol) {
        return FixtureCheck.compare(stem + "/" + tensor, actual, io.get(tensor), tol.get(tensor));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
