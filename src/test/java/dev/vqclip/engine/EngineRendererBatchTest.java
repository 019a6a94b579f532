package dev.vqclip.engine;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched rendering on the tiny fixture models: each job gets its solo result; jobs end independently. */
class EngineRendererBatchTest {
    static final String VQGAN = TinyModels.VQGAN;
    static final String CLIP = TinyModels.CLIP;

    static EngineRenderer renderer;

    @BeforeAll
    static void load() {
        renderer = new EngineRenderer(new ModelRepository(null, Device.cpu()),
                new EngineRenderer.Options(null, Clock.systemUTC(), "test"));
    }

    @AfterAll
    static void close() {
        renderer.close();
    }

    static Recipe recipe(String cutMethod, long seed, int iterations, double lr, WeightedPrompt... prompts) {
        return new Recipe(PromptSchedule.of(List.of(prompts)), List.of(), List.of(), seed, 32, 32, iterations, 4, 1.0,
                cutMethod, lr, "adam", null, "none", 0.1, VQGAN, CLIP, "vqgan", 0);
    }

    static WeightedPrompt p(String text, double weight) {
        return new WeightedPrompt(text, weight, Double.NEGATIVE_INFINITY);
    }

    /** Largest difference of any colour channel of any pixel, in 8-bit steps. */
    static int maxChannelDiff(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int pa = a.getRGB(x, y);
                int pb = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((pa >> shift) & 0xff) - ((pb >> shift) & 0xff)));
                }
            }
        }
        return max;
    }

    static final class Losses implements RenderListener {
        final List<Double> values = new ArrayList<>();

        @Override
        public void onStep(StepEvent e) {
            values.add(e.loss());
        }
    }

    @Test
    void eachJobOfABatchGetsTheImageAndLossesItGetsAlone() {
        for (String cut : List.of("original", "latest")) {
            // different prompts, seeds, learning rates and lengths: the shorter job leaves the batch early
            Recipe a = recipe(cut, 7, 12, 0.1, p("a lighthouse at dusk", 1.0), p("fog", -0.5));
            Recipe b = recipe(cut, 11, 8, 0.2, p("a red cat", 1.0));
            Losses soloA = new Losses();
            Losses soloB = new Losses();
            RenderResult aloneA = renderer.render(a, soloA, new CancellationToken());
            RenderResult aloneB = renderer.render(b, soloB, new CancellationToken());
            Losses batchA = new Losses();
            Losses batchB = new Losses();
            List<BatchOutcome> out = renderer.renderBatch(List.of(new BatchItem(a, batchA, new CancellationToken()),
                    new BatchItem(b, batchB, new CancellationToken())));
            RenderResult inBatchA = assertInstanceOf(BatchOutcome.Rendered.class, out.get(0)).result();
            RenderResult inBatchB = assertInstanceOf(BatchOutcome.Rendered.class, out.get(1)).result();
            assertEquals(12, inBatchA.iterations());
            assertEquals(8, inBatchB.iterations());
            assertEquals(soloA.values.size(), batchA.values.size());
            assertEquals(soloB.values.size(), batchB.values.size());
            for (int i = 0; i < soloA.values.size(); i++) {
                assertEquals(soloA.values.get(i), batchA.values.get(i), 1e-5, cut + " job A loss at step " + i);
            }
            for (int i = 0; i < soloB.values.size(); i++) {
                assertEquals(soloB.values.get(i), batchB.values.get(i), 1e-5, cut + " job B loss at step " + i);
            }
            assertEquals(0, maxChannelDiff(aloneA.image(), inBatchA.image()), cut + " job A image");
            assertEquals(0, maxChannelDiff(aloneB.image(), inBatchB.image()), cut + " job B image");
            assertEquals(aloneA.recipe(), inBatchA.recipe());
            assertEquals(aloneA.modelHashes(), inBatchA.modelHashes());
        }
    }

    @Test
    void aCancelledJobStopsWithinOneStepAndTheOtherFinishes() {
        Recipe a = recipe("latest", 3, 10, 0.1, p("a lighthouse", 1.0));
        Recipe b = recipe("latest", 4, 10, 0.1, p("a forest", 1.0));
        CancellationToken cancelA = new CancellationToken();
        Losses stepsA = new Losses();
        RenderListener cancelAfterStep3 = new RenderListener() {
            @Override
            public void onStep(StepEvent e) {
                stepsA.onStep(e);
                if (e.iteration() == 3) {
                    cancelA.cancel();
                }
            }
        };
        Losses stepsB = new Losses();
        List<BatchOutcome> out = renderer.renderBatch(List.of(new BatchItem(a, cancelAfterStep3, cancelA),
                new BatchItem(b, stepsB, new CancellationToken())));
        assertEquals(4, assertInstanceOf(BatchOutcome.Cancelled.class, out.get(0)).iteration());
        assertEquals(4, stepsA.values.size());
        RenderResult done = assertInstanceOf(BatchOutcome.Rendered.class, out.get(1)).result();
        assertEquals(10, done.iterations());
        assertEquals(10, stepsB.values.size());
        RenderResult alone = renderer.render(b, RenderListener.NONE, new CancellationToken());
        assertEquals(0, maxChannelDiff(alone.image(), done.image()), "the survivor's image does not depend on its mate");
    }

    @Test
    void incompatibleRecipesAreRefusedNamingTheField() {
        Recipe a = recipe("latest", 1, 5, 0.1, p("cat", 1.0));
        Recipe moreCuts = new Recipe(a.prompts(), List.of(), List.of(), 2, 32, 32, 5, 8, 1.0, "latest", 0.1, "adam",
                null, "none", 0.1, VQGAN, CLIP, "vqgan", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> renderer.renderBatch(List.of(
                new BatchItem(a, null, new CancellationToken()), new BatchItem(moreCuts, null, new CancellationToken()))));
        assertTrue(e.getMessage().contains("recipes 0 and 1") && e.getMessage().contains("cutn differs ('4' vs '8')"),
                e.getMessage());
        assertEquals("cut method differs ('latest' vs 'original')",
                EngineRenderer.batchIncompatibility(a, recipe("original", 1, 5, 0.1, p("cat", 1.0))));
        assertEquals("size differs ('32x32' vs '64x32')", EngineRenderer.batchIncompatibility(a, a.withSize(64, 32)));
        // seed, prompts, learning rate and iterations may differ; the key also groups by length
        Recipe other = recipe("latest", 9, 50, 0.3, p("dog", -1.0));
        assertTrue(EngineRenderer.batchCompatible(a, other));
        assertEquals(VQGAN + "|" + CLIP + "|vqgan|32x32|4|latest|5", EngineRenderer.batchKey(a));
        assertFalse(EngineRenderer.batchKey(a).equals(EngineRenderer.batchKey(other)));
    }

    @Test
    void aJobThatCannotBePreparedFailsAloneWithItsReason() {
        Recipe good = recipe("original", 1, 3, 0.1, p("cat", 1.0));
        Recipe badInit = new Recipe(good.prompts(), List.of(), List.of(), 2, 32, 32, 3, 4, 1.0, "original", 0.1, "adam",
                TinyModels.FIXTURES.resolve("no-such-image.png").toString(), "none", 0.1, VQGAN, CLIP, "vqgan", 0);
        List<BatchOutcome> out = renderer.renderBatch(List.of(new BatchItem(badInit, null, new CancellationToken()),
                new BatchItem(good, null, new CancellationToken())));
        RenderException reason = assertInstanceOf(BatchOutcome.Failed.class, out.get(0)).error();
        assertTrue(reason.getMessage().contains("init image"), reason.getMessage());
        assertEquals(3, assertInstanceOf(BatchOutcome.Rendered.class, out.get(1)).result().iterations());
    }
}
