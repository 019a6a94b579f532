package dev.vqclip.testing;

import ai.djl.Device;
import dev.vqclip.app.SafeImageFiles;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.VqganConfigs;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The tiny fixture models (src/test/resources/fixtures), for tests that must run the real engine: the weight files,
 * the models loaded on the CPU, a renderer over them and a recipe that fits them.
 */
public final class TinyModels {
    /** The fixtures folder the pom passes to tests ({@code vqclip.fixtures.dir}), or the source tree default. */
    public static final Path FIXTURES = Path.of(System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures"));
    public static final String VQGAN = FIXTURES.resolve("vqgan_tiny.weights.safetensors").toString();
    public static final String CLIP = FIXTURES.resolve("clip_tiny.weights.safetensors").toString();

    private TinyModels() {
    }

    /** The tiny VQGAN with the config from its weights' metadata. */
    public static Vqgan vqgan() {
        StateDict w = SafetensorsReader.read(Path.of(VQGAN));
        return Vqgan.load(w, VqganConfigs.fromMetadataJson(w.metadata().get("config")), Device.cpu());
    }

    /** The tiny CLIP with the config from its weights' metadata. */
    public static ClipModel clip() {
        StateDict w = SafetensorsReader.read(Path.of(CLIP));
        return ClipModel.load(w, ClipConfigs.fromMetadataJson(w.metadata().get("config")), Device.cpu());
    }

    /** The production renderer; recipes name the tiny models by path, {@code modelsDir} holds nothing else. */
    public static EngineRenderer renderer(Path modelsDir) {
        ModelRepository models = ModelRepository.open(modelsDir, "cpu", new PrintWriter(new StringWriter()));
        return new EngineRenderer(models, new EngineRenderer.Options(Duration.ofDays(1), Clock.systemUTC(), "test",
                null, new SafeImageFiles()));
    }

    /** A 64x48 tiny-model recipe with a preview every {@code previewEvery} steps. */
    public static Recipe recipe(String text, int iterations, int previewEvery, long seed) {
        return new Recipe(PromptSchedule.of(List.of(new WeightedPrompt(text))), List.of(), List.of(), seed, 64, 48,
                iterations, 4, 1.0, "original", 0.1, "adam", null, "none", 0, VQGAN, CLIP, "vqgan", previewEvery);
    }
}
