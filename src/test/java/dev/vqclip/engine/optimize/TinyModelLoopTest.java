package dev.vqclip.engine.optimize;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.weights.HostTensor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The whole loop on the tiny fixture models: a long run keeps every manager's array count flat. */
class TinyModelLoopTest {

    @Test
    void liveArraysStayFlatOverManyStepsWithTheRealModels() {
        LoopFixture f = LoopFixture.crops();
        try (Vqgan vqgan = TinyModels.vqgan();
             ClipModel clip = TinyModels.clip();
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            HostTensor tokens = f.tensors.get("prompt_tokens");
            var embeds = clip.encodeText(m.create(tokens.toLongs(), new Shape(tokens.shape())));
            List<SphericalPrompt> prompts = List.of(
                    new SphericalPrompt(embeds.get(new NDIndex("0:1")), 1.0, Double.NEGATIVE_INFINITY, m),
                    new SphericalPrompt(embeds.get(new NDIndex("1:2")), -0.5, -0.9, m));
            SplittableRandom rng = new SplittableRandom(3);
            int steps = 2000;   // the bar: flat over 2,000 tiny-model iterations
            int[] counts = new int[6];
            List<Double> losses = new ArrayList<>();
            RenderListener listener = new RenderListener() {
                @Override
                public void onStep(StepEvent e) {
                    losses.add(e.loss());
                    int at = e.iteration() == 200 ? 0 : e.iteration() == e.total() - 1 ? 3 : -1;
                    if (at >= 0) {
                        counts[at] = m.getManagedArrays().size();
                        counts[at + 1] = vqgan.manager().getManagedArrays().size();
                        counts[at + 2] = clip.manager().getManagedArrays().size();
                    }
                }
            };
            try (Drawer d = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 32, 32, rng.split());
                 LatentOptimizer opt = new LatentOptimizer(d, clip::encodeImage, Cutouts.of("latest", 32, 2, 1, rng.split()),
                         PromptPlan.of(prompts), new LatentOptimizer.Settings(steps, 500, null,
                         AdamSettings.named("adam", 0.1), new InitWeight.DecayingToZero(0.1), 3), Clock.systemUTC())) {
                opt.run(listener, new CancellationToken());
            }
            assertEquals(steps, losses.size());
            assertTrue(losses.stream().allMatch(Double::isFinite));
            // arrays alive after step 200 and after the last step: nothing per step stayed behind in any manager
            assertEquals(counts[0], counts[3], "test manager");
            assertEquals(counts[1], counts[4], "vqgan manager");
            assertEquals(counts[2], counts[5], "clip manager");
        }
    }
}
