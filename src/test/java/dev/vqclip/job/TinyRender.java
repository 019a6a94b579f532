package dev.vqclip.job;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The real engine on the tiny fixture models, for scheduler tests that must render for real. */
public final class TinyRender {
    public static final Path FIXTURES = Path.of(System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures"));
    public static final String VQGAN = FIXTURES.resolve("vqgan_tiny.weights.safetensors").toString();
    public static final String CLIP = FIXTURES.resolve("clip_tiny.weights.safetensors").toString();

    private TinyRender() {
    }

    public static EngineRenderer renderer(Path modelsDir) {
        ModelRepository models = ModelRepository.open(modelsDir, "cpu", new PrintWriter(new StringWriter()));
        return new EngineRenderer(models, new EngineRenderer.Options(Duration.ofDays(1), Clock.systemUTC(), "test",
                null, new dev.vqclip.app.SafeImageFiles()));
    }

    /** A 64x48 tiny-model recipe with a preview every {@code previewEvery} steps. */
    public static Recipe recipe(String text, int iterations, int previewEvery, long seed) {
        return new Recipe(PromptSchedule.of(List.of(new WeightedPrompt(text))), List.of(), List.of(), seed, 64, 48,
                iterations, 4, 1.0, "original", 0.1, "adam", null, "none", 0, VQGAN, CLIP, "vqgan", previewEvery);
    }
}
