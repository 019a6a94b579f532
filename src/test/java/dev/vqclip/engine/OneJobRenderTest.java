package dev.vqclip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.testing.TinyModels;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A one-job process frees what only setting a job up needs, and renders exactly what any other process renders. */
class OneJobRenderTest {
    private static RenderResult render(boolean oneJob, ModelRepository models, Recipe recipe) {
        EngineRenderer renderer = new EngineRenderer(models,
                new EngineRenderer.Options(null, Clock.systemUTC(), "test", MemoryPlan.DEFAULT, ImageFiles.NONE, oneJob));
        return renderer.render(recipe, RenderListener.NONE, new CancellationToken());
    }

    @Test
    void aOneJobRenderIsTheSameImageAndLeavesNoTextTowerOrEncoder() {
        Recipe recipe = EngineRendererBatchTest.recipe("original", 5, 6, 0.1, EngineRendererBatchTest.p("a lighthouse", 1.0));
        try (ModelRepository kept = new ModelRepository(null, Device.cpu());
             ModelRepository oneJob = new ModelRepository(null, Device.cpu())) {
            RenderResult usual = render(false, kept, recipe);
            RenderResult lean = render(true, oneJob, recipe);
            assertEquals(0, EngineRendererBatchTest.maxChannelDiff(usual.image(), lean.image()));

            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                var tokens = m.zeros(new Shape(1, 4), ai.djl.ndarray.types.DataType.INT64);
                kept.clip(TinyModels.CLIP).model().encodeText(tokens).close(); // a long-lived process keeps it
                IllegalStateException text = assertThrows(IllegalStateException.class,
                        () -> oneJob.clip(TinyModels.CLIP).model().encodeText(tokens));
                assertTrue(text.getMessage().contains("text tower was released"), text.getMessage());
                IllegalStateException image = assertThrows(IllegalStateException.class,
                        () -> oneJob.vqgan(TinyModels.VQGAN).model().encode(m.zeros(new Shape(1, 3, 32, 32))));
                assertTrue(image.getMessage().contains("encoder was released"), image.getMessage());
            }
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> render(true, oneJob, recipe));
            assertTrue(again.getMessage().contains("released"), again.getMessage());
        }
    }
}
