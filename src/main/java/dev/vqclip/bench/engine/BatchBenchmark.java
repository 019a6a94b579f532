package dev.vqclip.bench.engine;

import dev.vqclip.engine.optimize.AdamSettings;
import dev.vqclip.engine.optimize.Cutouts;
import dev.vqclip.engine.optimize.Drawer;
import dev.vqclip.engine.optimize.InitWeight;
import dev.vqclip.engine.optimize.LatentOptimizer;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.optimize.PromptPlan;
import dev.vqclip.engine.optimize.SphericalPrompt;
import dev.vqclip.engine.optimize.VqganCodec;
import dev.vqclip.engine.optimize.VqganDrawer;
import ai.djl.ndarray.NDManager;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times {@link LatentOptimizer} steps with B jobs of the same size and cutn (LoopBenchmark's job: one text prompt,
 * random codebook init, Adam lr 0.1, each job on its own seed): the median wall time of one batched step after
 * the warm-up steps. B job-iterations happen per step, so the throughput is B / (s per step).
 */
public final class BatchBenchmark {

    /** Median and all measured step times in seconds. */
    public record Result(int batch, double medianSecondsPerStep, double[] stepSeconds) {
        /** The fastest measured step: what a step costs when nothing else competes for the cores. */
        public double minSecondsPerStep() {
            return java.util.Arrays.stream(stepSeconds).min().orElse(Double.NaN);
        }

        /** Job-iterations per second: each batched step advances every one of the B jobs by one iteration. */
        public double jobIterationsPerSecond() {
            return batch / medianSecondsPerStep;
        }
    }

    private BatchBenchmark() {
    }

    public static Result run(Vqgan vqgan, ClipModel clip, int width, int height, int cutn, String cutMethod,
                             MemoryPlan memory, int batch, int warmup, int iterations, long seed) {
        if (batch < 1 || iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("batch and iterations must be >= 1 and warmup >= 0, got " + batch + ", "
                    + iterations + ", " + warmup);
        }
        long[] stepEnds = new long[warmup + iterations];
        RenderListener clock = new RenderListener() {
            @Override
            public void onStep(StepEvent e) {
                stepEnds[e.iteration()] = System.nanoTime();
            }
        };
        List<Drawer> drawers = new ArrayList<>(batch);
        try (NDManager job = clip.manager().newSubManager()) {
            SphericalPrompt prompt = LoopBenchmark.textPrompt(clip, job);
            List<LatentOptimizer.Job> jobs = new ArrayList<>(batch);
            for (int k = 0; k < batch; k++) {
                SplittableRandom root = new SplittableRandom(seed + k);
                Cutouts cutouts = Cutouts.of(cutMethod, clip.inputResolution(), cutn, 1.0, root.split());
                Drawer d = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), width, height, root.split());
                drawers.add(d);
                jobs.add(new LatentOptimizer.Job(d, cutouts, PromptPlan.of(List.of(prompt)),
                        new LatentOptimizer.Settings(warmup + iterations, 0, null, AdamSettings.named("adam", 0.1),
                                InitWeight.NONE, seed + k, memory),
                        k == 0 ? clock : RenderListener.NONE, new CancellationToken()));
            }
            long start;
            try (LatentOptimizer loop = new LatentOptimizer(jobs, clip::encodeImage, Clock.systemUTC())) {
                start = System.nanoTime();
                List<LatentOptimizer.Outcome> out = loop.run();
                for (LatentOptimizer.Outcome o : out) {
                    if (o instanceof LatentOptimizer.Outcome.Failed f) {
                        throw f.error();
                    }
                }
            }
            double[] seconds = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                int at = warmup + i;
                long previous = at == 0 ? start : stepEnds[at - 1];
                seconds[i] = (stepEnds[at] - previous) / 1e9;
            }
            return new Result(batch, LoopBenchmark.median(seconds), seconds);
        } finally {
            drawers.forEach(Drawer::close);
        }
    }
}
