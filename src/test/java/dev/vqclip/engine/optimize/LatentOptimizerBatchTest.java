package dev.vqclip.engine.optimize;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batched loop on the tiny fixture models against the solo loop, and its memory over many steps. */
class LatentOptimizerBatchTest {
    static Vqgan vqgan;
    static ClipModel clip;
    static NDManager m;
    static List<SphericalPrompt> prompts;

    @BeforeAll
    static void load() {
        vqgan = TinyModels.vqgan();
        clip = TinyModels.clip();
        m = NDManager.newBaseManager(Device.cpu());
        HostTensor tokens = LoopFixture.crops().tensors.get("prompt_tokens");
        NDArray embeds = clip.encodeText(m.create(tokens.toLongs(), new Shape(tokens.shape())));   // [2, D]
        prompts = List.of(new SphericalPrompt(embeds.get(new NDIndex("0:1")), 1.0, Double.NEGATIVE_INFINITY, m),
                new SphericalPrompt(embeds.get(new NDIndex("1:2")), -0.5, -0.9, m));
    }

    @AfterAll
    static void close() {
        m.close();
        clip.close();
        vqgan.close();
    }

    /** One job's pieces, drawn from its own seed in a fixed order, so it is the same job alone or batched. */
    record Spec(long seed, String cut, int iterations, double lr, InitWeight initWeight, List<SphericalPrompt> prompts) {
        LatentOptimizer.Settings settings() {
            return new LatentOptimizer.Settings(iterations, 0, null, AdamSettings.named("adam", lr), initWeight, seed);
        }
    }

    static final class Recorder implements RenderListener {
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onStep(StepEvent e) {
            losses.add(e.loss());
        }
    }

    /** Final latent and losses of {@code spec} run alone with {@link LatentOptimizer}. */
    static float[] solo(Spec s, Recorder rec) {
        SplittableRandom root = new SplittableRandom(s.seed());
        Cutouts cutouts = Cutouts.of(s.cut(), 32, 4, 1.0, root.split());
        try (Drawer d = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 32, 32, root.split());
             LatentOptimizer opt = new LatentOptimizer(d, clip::encodeImage, cutouts, PromptPlan.of(s.prompts()),
                     s.settings(), Clock.systemUTC())) {
            opt.run(rec, new CancellationToken());
            return d.parameters().toFloatArray();
        }
    }

    /** Final latents of the specs run as one batch. */
    static List<float[]> batched(List<Spec> specs, List<Recorder> recs) {
        List<Drawer> drawers = new ArrayList<>();
        List<LatentOptimizer.Job> jobs = new ArrayList<>();
        try {
            for (int k = 0; k < specs.size(); k++) {
                Spec s = specs.get(k);
                SplittableRandom root = new SplittableRandom(s.seed());
                Cutouts cutouts = Cutouts.of(s.cut(), 32, 4, 1.0, root.split());
                Drawer d = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 32, 32, root.split());
                drawers.add(d);
                jobs.add(new LatentOptimizer.Job(d, cutouts, PromptPlan.of(s.prompts()), s.settings(), recs.get(k),
                        new CancellationToken()));
            }
            try (LatentOptimizer opt = new LatentOptimizer(jobs, clip::encodeImage, Clock.systemUTC())) {
                List<LatentOptimizer.Outcome> out = opt.run();
                for (int k = 0; k < specs.size(); k++) {
                    LoopResult r = assertInstanceOf(LatentOptimizer.Outcome.Finished.class, out.get(k)).result();
                    assertEquals(specs.get(k).iterations(), r.iterations());
                }
            }
            return drawers.stream().map(d -> d.parameters().toFloatArray()).toList();
        } finally {
            drawers.forEach(Drawer::close);
        }
    }

    @Test
    void batchedJobsFollowTheirSoloTrajectories() {
        for (String cut : List.of("original", "latest")) {
            List<Spec> specs = List.of(
                    new Spec(5, cut, 15, 0.1, new InitWeight.DecayingToZero(0.1), prompts),
                    new Spec(6, cut, 9, 0.2, InitWeight.NONE, List.of(prompts.get(1))),
                    new Spec(7, cut, 15, 0.05, new InitWeight.ConstantToInit(0.2), List.of(prompts.get(0))));
            List<Recorder> batchRecs = List.of(new Recorder(), new Recorder(), new Recorder());
            List<float[]> latents = batched(specs, batchRecs);
            for (int k = 0; k < specs.size(); k++) {
                Recorder soloRec = new Recorder();
                float[] alone = solo(specs.get(k), soloRec);
                double latentDiff = LoopFixture.maxAbsDiff(alone, latents.get(k));
                double lossDiff = 0;
                for (int i = 0; i < soloRec.losses.size(); i++) {
                    lossDiff = Math.max(lossDiff, Math.abs(soloRec.losses.get(i) - batchRecs.get(k).losses.get(i)));
                }
                System.out.printf("batch vs solo, %s job %d: max |Δz| %.3g, max |Δloss| %.3g%n", cut, k, latentDiff, lossDiff);
                assertEquals(soloRec.losses.size(), batchRecs.get(k).losses.size());
                assertTrue(latentDiff <= 1e-4, cut + " job " + k + ": latent differs by " + latentDiff);
                assertTrue(lossDiff <= 1e-5, cut + " job " + k + ": loss differs by " + lossDiff);
            }
        }
    }

    @Test
    void jobsThatCannotShareAPassAreRefusedNamingWhatDiffers() {
        SplittableRandom rng = new SplittableRandom(1);
        try (Drawer small = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 32, 32, rng.split());
             Drawer wide = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 64, 32, rng.split())) {
            Spec s = new Spec(1, "latest", 3, 0.1, InitWeight.NONE, prompts);
            List<LatentOptimizer.Job> jobs = List.of(
                    new LatentOptimizer.Job(small, Cutouts.of("latest", 32, 4, 1, rng.split()), PromptPlan.of(prompts),
                            s.settings(), null, new CancellationToken()),
                    new LatentOptimizer.Job(wide, Cutouts.of("latest", 32, 4, 1, rng.split()), PromptPlan.of(prompts),
                            s.settings(), null, new CancellationToken()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new LatentOptimizer(jobs, clip::encodeImage, Clock.systemUTC()));
            assertEquals("jobs 0 and 1 cannot share a batch: size differs (32x32 vs 64x32)", e.getMessage());
        }
    }

    @Test
    void liveArraysStayFlatOverManyBatchedSteps() {
        int steps = 400;
        int[] counts = new int[6];
        Recorder other = new Recorder();
        RenderListener counter = new RenderListener() {
            @Override
            public void onStep(StepEvent e) {
                int at = e.iteration() == 100 ? 0 : e.iteration() == e.total() - 1 ? 3 : -1;
                if (at >= 0) {
                    counts[at] = m.getManagedArrays().size();
                    counts[at + 1] = vqgan.manager().getManagedArrays().size();
                    counts[at + 2] = clip.manager().getManagedArrays().size();
                }
            }
        };
        List<Spec> specs = List.of(new Spec(2, "latest", steps, 0.1, new InitWeight.DecayingToZero(0.1), prompts),
                new Spec(3, "latest", steps, 0.1, InitWeight.NONE, prompts));
        List<Drawer> drawers = new ArrayList<>();
        try {
            List<LatentOptimizer.Job> jobs = new ArrayList<>();
            for (Spec s : specs) {
                SplittableRandom root = new SplittableRandom(s.seed());
                Cutouts cutouts = Cutouts.of(s.cut(), 32, 4, 1.0, root.split());
                Drawer d = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), 32, 32, root.split());
                drawers.add(d);
                jobs.add(new LatentOptimizer.Job(d, cutouts, PromptPlan.of(s.prompts()), s.settings(),
                        jobs.isEmpty() ? counter : other, new CancellationToken()));
            }
            try (LatentOptimizer opt = new LatentOptimizer(jobs, clip::encodeImage, Clock.systemUTC())) {
                opt.run();
            }
        } finally {
            drawers.forEach(Drawer::close);
        }
        assertEquals(steps, other.losses.size());
        assertTrue(other.losses.stream().allMatch(Double::isFinite));
        // arrays alive after step 100 and after the last step: nothing per step stayed behind in any manager
        assertEquals(counts[0], counts[3], "test manager");
        assertEquals(counts[1], counts[4], "vqgan manager");
        assertEquals(counts[2], counts[5], "clip manager");
    }
}
