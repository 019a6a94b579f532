package dev.vqclip.bench.engine;

import dev.vqclip.engine.optimize.AdamSettings;
import dev.vqclip.engine.optimize.Cutouts;
import dev.vqclip.engine.optimize.Drawer;
import dev.vqclip.engine.optimize.InitWeight;
import dev.vqclip.engine.optimize.LatentOptimizer;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.optimize.PromptPlan;
import dev.vqclip.engine.optimize.SphericalPrompt;
import dev.vqclip.engine.optimize.StepProbe;
import dev.vqclip.engine.optimize.VqganCodec;
import dev.vqclip.engine.optimize.VqganDrawer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the optimizer loop as refbench.md times the upstream one: one text prompt, random codebook init, Adam
 * lr 0.1, warm-up steps, then the median of the measured steps, overall and per phase (synth = VQ + decode +
 * clamp, cutouts, CLIP forward, loss + backward, Adam + clamp). Like {@code imagine}, it frees what only set-up needs
 * (CLIP's text tower, the VQGAN encoder) before the loop, so the models cannot be used for set-up again.
 */
public final class LoopBenchmark {
    public static final List<String> PHASES = List.of("synth", "cutouts", "clip", "backward", "step");

    /** Medians in seconds per iteration; the traced step after the measured ones, or null. */
    public record Result(double medianSeconds, Map<String, Double> phaseMedians, double[] iterationSeconds, StepTrace trace) { }

    private LoopBenchmark() {
    }

    /** The loop's medians, then one more step under libtorch's profiler when {@code trace} (else null) names a file for its chrome trace. */
    public static Result run(Vqgan vqgan, ClipModel clip, int width, int height, int cutn, String cutMethod, MemoryPlan memory,
                             int warmup, int iterations, long seed, Path trace) {
        int steps = warmup + iterations + (trace == null ? 0 : 1);
        SplittableRandom root = new SplittableRandom(seed);
        try (NDManager job = clip.manager().newSubManager()) {
            SphericalPrompt prompt = textPrompt(clip, job);
            // as imagine's one job: the text tower and the encoder are freed once the job is set up
            vqgan.releaseEncoder();
            clip.releaseTextTower();
            Cutouts cutouts = Cutouts.of(cutMethod, clip.inputResolution(), cutn, 1.0, root.split());
            try (Drawer drawer = VqganDrawer.fromRandomCodes(new VqganCodec(vqgan), width, height, root.split());
                 LatentOptimizer loop = new LatentOptimizer(drawer, clip::encodeImage, cutouts, PromptPlan.of(List.of(prompt)),
                         new LatentOptimizer.Settings(steps, 0, null, AdamSettings.named("adam", 0.1),
                                 InitWeight.NONE, seed, memory), Clock.systemUTC())) {
                double[][] phases = new double[PHASES.size()][iterations];
                double[] total = new double[iterations];
                for (int i = 0; i < warmup + iterations; i++) {
                    long start = System.nanoTime();
                    PhaseClock probe = new PhaseClock(start);
                    loop.step(i, false, probe);
                    probe.finish();
                    long end = System.nanoTime();
                    if (i >= warmup) {
                        int k = i - warmup;
                        for (int p = 0; p < PHASES.size(); p++) {
                            phases[p][k] = probe.nanos[p] / 1e9;
                        }
                        total[k] = (end - start) / 1e9;
                    }
                }
                StepTrace traced = null;
                if (trace != null) {
                    int last = warmup + iterations;
                    StepTrace.record(trace, () -> loop.step(last, false, new PhaseClock(System.nanoTime())));
                    traced = readTrace(trace);
                }
                Map<String, Double> medians = new LinkedHashMap<>();
                for (int p = 0; p < PHASES.size(); p++) {
                    medians.put(PHASES.get(p), median(phases[p]));
                }
                return new Result(median(total), medians, total, traced);
            }
        }
    }

    /** A fixed token sequence ("a photo of a lighthouse" in CLIP's real vocabulary); with random weights any ids do. */
    static SphericalPrompt textPrompt(ClipModel clip, NDManager job) {
        int ctx = clip.config().contextLength();
        long[] ids = new long[ctx];
        long[] words = {clip.config().sotToken(), 320, 1125, 539, 320, 13434, clip.config().eotToken()};
        for (int i = 0; i < words.length; i++) {
            ids[i] = Math.min(words[i], clip.config().vocabSize() - 1);
        }
        try (NDScope scope = new NDScope()) {
            NDArray embeds = clip.encodeText(job.create(ids, new Shape(1, ctx)));
            return new SphericalPrompt(embeds, 1.0, Double.NEGATIVE_INFINITY, job);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Adds the time since the previous mark to the phase that just ended: synth, cutouts, then per group of
     * cutouts CLIP forward ("clip") and the back-propagation into the cutouts ("backward"), then the rest of
     * backward through the cutouts and the decoder ("backward"), and after the gradient the optimizer ("step").
     */
    private static final class PhaseClock implements StepProbe {
        final long[] nanos = new long[PHASES.size()];
        private long mark;

        PhaseClock(long start) {
            mark = start;
        }

        private void end(int phase) {
            long now = System.nanoTime();
            nanos[phase] += now - mark;
            mark = now;
        }

        @Override
        public void synth(NDArray image) {
            end(0);
        }

        @Override
        public void cutouts(NDArray c) {
            end(1);
        }

        @Override
        public void clipForward() {
            end(2);
        }

        @Override
        public void clipBackward() {
            end(3);
        }

        @Override
        public void gradient(NDArray grad) {
            end(3);
        }

        void finish() {
            end(4);
        }
    }

    private static StepTrace readTrace(Path trace) {
        try {
            return StepTrace.read(trace);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the profiler's trace " + trace + ": " + e.getMessage(), e);
        }
    }
}
