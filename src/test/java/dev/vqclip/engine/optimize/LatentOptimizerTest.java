package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.CancelledException;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.testing.ManualClock;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatentOptimizerTest {
    private static final int CUT = 16;
    private static final int DIM = 8;

    private static class Recorder implements RenderListener {
        final List<StepEvent> steps = new ArrayList<>();
        final List<Integer> previews = new ArrayList<>();
        BufferedImage lastPreview;

        @Override
        public void onStep(StepEvent step) {
            steps.add(step);
        }

        @Override
        public void onPreview(int iteration, BufferedImage preview) {
            previews.add(iteration);
            lastPreview = preview;
        }
    }

    /** Runs {@code iterations} steps of the given drawer kind towards a random target embedding. */
    private static LoopResult run(NDManager m, String drawerName, String cutMethod, int iterations, long seed,
                                  Recorder rec, CancellationToken cancel, InitWeight initWeight, int previewEvery) {
        return run(m, drawerName, cutMethod, iterations, seed, rec, cancel, initWeight, previewEvery,
                MemoryPlan.DEFAULT);
    }

    private static LoopResult run(NDManager m, String drawerName, String cutMethod, int iterations, long seed,
                                  Recorder rec, CancellationToken cancel, InitWeight initWeight, int previewEvery,
                                  MemoryPlan memory) {
        ImageEncoder enc = ToyModels.linearEncoder(m, CUT, DIM, 1);
        SphericalPrompt towards = new SphericalPrompt(m.create(ToyModels.uniform(DIM, 2, -1, 1), new Shape(1, DIM)),
                1.0, Double.NEGATIVE_INFINITY, m);
        SphericalPrompt away = new SphericalPrompt(m.create(ToyModels.uniform(DIM, 3, -1, 1), new Shape(1, DIM)),
                -0.3, Double.NEGATIVE_INFINITY, m);
        SplittableRandom root = new SplittableRandom(seed);
        LatentCodec codec = ToyModels.blockCodec(m, 32, 6, 4, 4);
        try (Drawer drawer = Drawers.create(new DrawerRequest(drawerName, 26, 21, null, "none"), codec, m, root.split())) {
            Cutouts cutouts = Cutouts.of(cutMethod, CUT, 4, 1.0, root.split());
            LatentOptimizer.Settings s = new LatentOptimizer.Settings(iterations, previewEvery, null,
                    AdamSettings.named("adam", 0.05), initWeight, seed, memory);
            try (LatentOptimizer opt = new LatentOptimizer(drawer, enc, cutouts, new PromptPlan(List.of(List.of(towards, away)), 0),
                    s, ManualClock.stepping(Duration.ofMillis(10)))) {
                return opt.run(rec, cancel);
            }
        }
    }

    @Test
    void bothDrawersLowerTheLossAndReportEveryStep() {
        for (String drawer : DrawerRequest.NAMES) {
            for (String cut : List.of("original", "latest")) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Recorder rec = new Recorder();
                    LoopResult r = run(m, drawer, cut, 40, 5, rec, new CancellationToken(), InitWeight.NONE, 0);
                    assertEquals(40, rec.steps.size());
                    assertEquals(39, rec.steps.get(39).iteration());
                    assertEquals(2, rec.steps.get(0).promptLosses().size());
                    double first = rec.steps.get(0).loss();
                    double last = rec.steps.get(39).loss();
                    assertTrue(last < first - 0.02, drawer + "/" + cut + ": loss " + first + " -> " + last);
                    assertEquals(last, r.finalLoss(), 0);
                    BufferedImage img = r.image();
                    int expectedW = drawer.equals("vqgan") ? 24 : 26;
                    int expectedH = drawer.equals("vqgan") ? 20 : 21;
                    assertEquals(expectedW, img.getWidth(), drawer);
                    assertEquals(expectedH, img.getHeight(), drawer);
                }
            }
        }
    }

    @Test
    void cutoutsSentToClipInGroupsGiveTheSameStepsAsOnePass() {
        // 4 cutouts: groups of 1 (four passes) and of 3 (uneven: 3 + 1) against all four at once, with an
        // init-weight term so the regulariser's path through the relayed gradient is covered too.
        InitWeight iw = new InitWeight.DecayingToZero(0.2);
        for (String drawer : DrawerRequest.NAMES) {
            List<double[]> runs = new ArrayList<>();
            for (int clipBatch : new int[] {0, 1, 3}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Recorder rec = new Recorder();
                    run(m, drawer, "latest", 6, 3, rec, new CancellationToken(), iw, 0, new MemoryPlan(clipBatch, DecoderCheckpoint.NONE));
                    runs.add(rec.steps.stream()
                            .flatMap(s -> java.util.stream.Stream.concat(s.promptLosses().stream(), java.util.stream.Stream.of(s.loss())))
                            .mapToDouble(Double::doubleValue).toArray());
                }
            }
            assertEquals(24, runs.get(0).length);
            assertArrayEquals(runs.get(0), runs.get(1), 1e-5, drawer + ": one cutout per pass");
            assertArrayEquals(runs.get(0), runs.get(2), 1e-5, drawer + ": groups of 3 + 1");
        }
    }

    @Test
    void aNegativeClipBatchIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MemoryPlan(-2, DecoderCheckpoint.NONE));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedDoesNot() {
        int[][] images = new int[3][];
        long[] seeds = {7, 7, 8};
        for (int k = 0; k < 3; k++) {
            try (NDManager m = NDManager.newBaseManager()) {
                BufferedImage img = run(m, "vqgan", "latest", 5, seeds[k], new Recorder(), new CancellationToken(),
                        InitWeight.NONE, 0).image();
                images[k] = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            }
        }
        assertArrayEquals(images[0], images[1]);
        assertTrue(!java.util.Arrays.equals(images[0], images[2]));
    }

    @Test
    void previewsComeEveryNStepsFromTheStepsOwnImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            Recorder rec = new Recorder();
            run(m, "pixel", "latest", 7, 1, rec, new CancellationToken(), InitWeight.NONE, 3);
            assertEquals(List.of(0, 3, 6), rec.previews);
            assertEquals(26, rec.lastPreview.getWidth());
        }
    }

    @Test
    void previewsAlsoComeAfterTheConfiguredTime() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageEncoder enc = ToyModels.linearEncoder(m, CUT, DIM, 1);
            SphericalPrompt p = new SphericalPrompt(m.create(ToyModels.uniform(DIM, 2, -1, 1), new Shape(1, DIM)),
                    1.0, Double.NEGATIVE_INFINITY, m);
            Recorder rec = new Recorder();
            try (Drawer d = PixelDrawer.create(m, 16, 16, 4, 4, new SplittableRandom(1));
                 LatentOptimizer opt = new LatentOptimizer(d, enc, Cutouts.of("latest", CUT, 2, 1, new SplittableRandom(2)),
                         PromptPlan.of(List.of(p)),
                         new LatentOptimizer.Settings(6, 0, Duration.ofSeconds(2), AdamSettings.named("adam", 0.1),
                                 InitWeight.NONE, 1),
                         ManualClock.stepping(Duration.ofSeconds(1)))) {
                opt.run(rec, new CancellationToken());
            }
            // the fake clock advances 1 s per read and is read twice per step (due check, event time), so 2 s
            // have passed since the last preview at every second step
            assertEquals(List.of(1, 3, 5), rec.previews);
        }
    }

    @Test
    void cancellationStopsWithinOneStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            CancellationToken cancel = new CancellationToken();
            Recorder rec = new Recorder() {
                @Override
                public void onStep(StepEvent step) {
                    super.onStep(step);
                    if (step.iteration() == 2) {
                        cancel.cancel();
                    }
                }
            };
            CancelledException e = assertThrows(CancelledException.class,
                    () -> run(m, "vqgan", "original", 50, 1, rec, cancel, InitWeight.NONE, 0));
            assertEquals(3, rec.steps.size());
            assertTrue(e.getMessage().contains("3"));
        }
    }

    @Test
    void initWeightTermsComeFirstInBothReferenceForms() {
        for (InitWeight w : List.of(new InitWeight.DecayingToZero(2.0), new InitWeight.ConstantToInit(2.0))) {
            try (NDManager m = NDManager.newBaseManager()) {
                Recorder rec = new Recorder();
                run(m, "vqgan", "latest", 3, 1, rec, new CancellationToken(), w, 0);
                assertEquals(3, rec.steps.get(0).promptLosses().size());
                double sum = rec.steps.get(1).promptLosses().stream().mapToDouble(Double::doubleValue).sum();
                assertEquals(sum, rec.steps.get(1).loss(), 1e-9);
                if (w instanceof InitWeight.ConstantToInit) {
                    assertEquals(0.0, rec.steps.get(0).promptLosses().get(0), 0.0, "z equals z_orig at step 0");
                    assertTrue(rec.steps.get(2).promptLosses().get(0) > 0);
                } else {
                    assertTrue(rec.steps.get(0).promptLosses().get(0) > 0);
                }
            }
        }
    }

    @Test
    void memoryStaysFlatOverManySteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageEncoder enc = ToyModels.linearEncoder(m, CUT, DIM, 1);
            SphericalPrompt p = new SphericalPrompt(m.create(ToyModels.uniform(DIM, 2, -1, 1), new Shape(1, DIM)),
                    1.0, Double.NEGATIVE_INFINITY, m);
            LatentCodec codec = ToyModels.blockCodec(m, 32, 6, 4, 4);
            try (Drawer d = VqganDrawer.fromRandomCodes(codec, 16, 16, new SplittableRandom(1));
                 LatentOptimizer opt = new LatentOptimizer(d, enc, Cutouts.of("latest", CUT, 2, 1, new SplittableRandom(2)),
                         PromptPlan.of(List.of(p)),
                         new LatentOptimizer.Settings(1, 1, null, AdamSettings.named("adam", 0.1),
                                 new InitWeight.DecayingToZero(0.5), 1),
                         java.time.Clock.systemUTC())) {
                int[] counts = new int[2];
                for (int i = 0; i < 400; i++) {
                    opt.step(i, i % 50 == 0, StepProbe.NONE);
                    if (i == 10) {
                        counts[0] = liveArrays(m);
                    }
                }
                counts[1] = liveArrays(m);
                assertEquals(counts[0], counts[1], "arrays alive after step 10 vs step 400");
            }
        }
    }

    private static int liveArrays(NDManager m) {
        return m.getManagedArrays().size();
    }

    @Test
    void unknownDrawerAndCutMethodAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DrawerRequest("clipdraw", 10, 10, null, null));
        assertTrue(e.getMessage().contains("clipdraw") && e.getMessage().contains("pixel"));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> Cutouts.of("updated", 16, 2, 1, new SplittableRandom(1)));
        assertTrue(c.getMessage().contains("updated") && c.getMessage().contains("latest"));
    }

    @Test
    void aNonFiniteLossAtTheFirstStepBlamesTheWeightsNotTheLearningRate() {
        String first = LatentOptimizer.nonFiniteLoss(Double.NaN, 0).getMessage();
        assertTrue(first.contains("before any update") && first.contains("model weights") && !first.contains("learning rate"),
                first);
        String later = LatentOptimizer.nonFiniteLoss(Double.POSITIVE_INFINITY, 12).getMessage();
        assertTrue(later.contains("iteration 12") && later.contains("lower learning rate"), later);
    }
}
