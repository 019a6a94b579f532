package dev.vqclip.engine.optimize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.CancelledException;
import dev.vqclip.engine.RenderException;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The VQGAN+CLIP optimisation loop (K. Crowson's z+quantize method, with nerdyrodent's generate.py options) over B
 * jobs at once; one job is B = 1. One step: zero the gradient → the active jobs' images in one pass
 * ({@link Drawers#renderStep}, stacked on dim 0) → {@code clamp_with_grad(image, 0, 1)} → each job's cutouts from
 * its own image row (clamped with grad for the "original" kind) → CLIP over all cutouts in groups
 * ({@link ClipPasses}) → each job's init-weight term and spherical prompt losses → backward of the sum over jobs
 * (no term couples two jobs, so each gets its solo gradient) → each job's own Adam and clamp. Each step runs in its
 * own {@link NDScope}, so memory stays flat.
 *
 * <p>Jobs are independent: own drawer, cutout stream, Adam state, learning rate and iteration count. A finished or
 * cancelled job leaves before the next step; a job whose loss stops being finite fails alone. The stacked pass needs
 * the same drawer kind and size, cut size, cutout clamping and memory plan for every job (checked at construction).
 * The host transfers of a step are one array of all loss values and the due previews (the step's own clamped
 * image, no extra decode). Runs on the calling thread; drawers, encoder, cutouts and prompts stay the caller's.
 */
public final class LatentOptimizer implements AutoCloseable {

    /**
     * @param iterations      optimizer steps to run
     * @param previewEvery    send a preview every N steps (0 = never by count); step 0 counts
     * @param previewInterval also send one when this much time passed since the last (null = never by time)
     * @param seed            seeds the engine generator at the start of {@link #run} (the pooled cutouts reseed it
     *                        from their own host stream on every call, see {@link CutoutsPooled}); in a batch the
     *                        first job's seed, as the drawers and cutouts carry each job's own random streams
     */
    public record Settings(int iterations, int previewEvery, Duration previewInterval, AdamSettings adam,
                           InitWeight initWeight, long seed, MemoryPlan memory) {
        public Settings {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
            }
            if (previewEvery < 0) {
                throw new IllegalArgumentException("previewEvery must be >= 0, got " + previewEvery);
            }
            if (previewInterval != null && (previewInterval.isNegative() || previewInterval.isZero())) {
                throw new IllegalArgumentException("previewInterval must be positive, got " + previewInterval);
            }
            if (adam == null) {
                throw new IllegalArgumentException("optimizer settings are required");
            }
            memory = memory == null ? MemoryPlan.DEFAULT : memory;
            initWeight = initWeight == null ? InitWeight.NONE : initWeight;
        }

        public Settings(int iterations, int previewEvery, Duration previewInterval, AdamSettings adam,
                        InitWeight initWeight, long seed) {
            this(iterations, previewEvery, previewInterval, adam, initWeight, seed, MemoryPlan.DEFAULT);
        }
    }

    /** One job of the loop. The drawer, cutouts and prompts stay owned by the caller. */
    public record Job(Drawer drawer, Cutouts cutouts, PromptPlan prompts, Settings settings, RenderListener listener,
                      CancellationToken cancel) {
        public Job {
            if (drawer == null || cutouts == null || prompts == null || settings == null || cancel == null) {
                throw new IllegalArgumentException("a job needs a drawer, cutouts, prompts, settings and a cancel token");
            }
            listener = listener == null ? RenderListener.NONE : listener;
        }
    }

    /** How one job ended. */
    public sealed interface Outcome {
        /** All iterations ran; the image of the final parameters. */
        record Finished(LoopResult result) implements Outcome { }

        /** Its token was cancelled before step {@code iteration} (0-based). */
        record Cancelled(int iteration) implements Outcome { }

        /** It failed for a reason a user can be told; the other jobs went on unless the shared pass failed. */
        record Failed(RenderException error) implements Outcome { }
    }

    /** The loss terms of one job's step (init-weight term first when present, then the prompts) and its preview. */
    public record StepOutcome(List<Double> terms, double total, BufferedImage preview) {
    }

    private final List<RunningJob> jobs;
    private final ImageEncoder clip;
    private final Clock clock;
    private final MemoryPlan memory;
    private final boolean clampCutouts;

    public LatentOptimizer(List<Job> jobs, ImageEncoder clip, Clock clock) {
        if (jobs == null || jobs.isEmpty()) {
            throw new IllegalArgumentException("the optimizer needs at least one job");
        }
        Job first = jobs.get(0);
        for (int k = 1; k < jobs.size(); k++) {
            Job j = jobs.get(k);
            requireSame("drawer", first.drawer().name(), j.drawer().name(), k);
            requireSame("size", first.drawer().width() + "x" + first.drawer().height(),
                    j.drawer().width() + "x" + j.drawer().height(), k);
            requireSame("cut size", first.cutouts().cutSize(), j.cutouts().cutSize(), k);
            requireSame("cut method clamping", first.cutouts().clampsOutput(), j.cutouts().clampsOutput(), k);
            requireSame("memory plan", first.settings().memory(), j.settings().memory(), k);
        }
        this.clip = clip;
        this.clock = clock;
        this.memory = first.settings().memory();
        this.clampCutouts = first.cutouts().clampsOutput();
        List<RunningJob> built = new ArrayList<>(jobs.size());
        try {
            for (Job j : jobs) {
                built.add(new RunningJob(j));
            }
        } catch (RuntimeException e) {
            built.forEach(RunningJob::close);
            throw e;
        }
        this.jobs = List.copyOf(built);
    }

    /** One job; its listener and cancel token are given to {@link #run(RenderListener, CancellationToken)}. */
    public LatentOptimizer(Drawer drawer, ImageEncoder clip, Cutouts cutouts, PromptPlan prompts, Settings settings,
                           Clock clock) {
        this(List.of(new Job(drawer, cutouts, prompts, settings, null, new CancellationToken())), clip, clock);
    }

    private static void requireSame(String what, Object a, Object b, int k) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException("jobs 0 and " + k + " cannot share a batch: " + what + " differs ("
                    + a + " vs " + b + ")");
        }
    }

    /**
     * Runs the one job: {@code listener} hears every step and due preview, {@code cancel} is checked before every
     * step. Returns the image of the final parameters.
     *
     * @throws CancelledException when cancelled
     * @throws RenderException    when the loss stops being a finite number or the listener fails
     */
    public LoopResult run(RenderListener listener, CancellationToken cancel) {
        if (jobs.size() != 1) {
            throw new IllegalStateException("run(listener, cancel) is for one job; this optimizer has " + jobs.size());
        }
        RunningJob only = jobs.get(0);
        only.listener = listener == null ? RenderListener.NONE : listener;
        only.cancel = cancel;
        Outcome o = run().get(0);
        if (o instanceof Outcome.Cancelled c) {
            throw new CancelledException(c.iteration());
        }
        if (o instanceof Outcome.Failed f) {
            throw f.error();
        }
        return ((Outcome.Finished) o).result();
    }

    /**
     * Runs every job to its end. Listeners are called on this thread after each step of their job; a listener that
     * throws fails its own job only. Returns one outcome per job, in order.
     */
    public List<Outcome> run() {
        long seed = jobs.get(0).job.settings().seed();
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Instant start = clock.instant();
        jobs.forEach(s -> s.lastPreview = start);
        while (true) {
            List<RunningJob> active = new ArrayList<>(jobs.size());
            for (RunningJob s : jobs) {
                if (s.outcome != null) {
                    continue;
                }
                if (s.done == s.job.settings().iterations()) {
                    s.outcome = finish(s, start);
                } else if (s.cancel.isCancelled()) {
                    s.outcome = new Outcome.Cancelled(s.done);
                } else {
                    active.add(s);
                }
            }
            if (active.isEmpty()) {
                return jobs.stream().map(s -> s.outcome).toList();
            }
            boolean[] previews = new boolean[active.size()];
            for (int k = 0; k < previews.length; k++) {
                previews[k] = previewDue(active.get(k));
            }
            StepOutcome[] outs;
            try {
                outs = step(active, previews, StepProbe.NONE);
            } catch (RuntimeException e) {
                // the shared pass itself failed (e.g. out of memory): every job in it fails with the reason
                RenderException reason = e instanceof RenderException r ? r
                        : new RenderException("the optimizer step failed: " + e.getMessage(), e);
                active.forEach(s -> s.outcome = s.outcome == null ? new Outcome.Failed(reason) : s.outcome);
                continue;
            }
            for (int k = 0; k < outs.length; k++) {
                if (outs[k] != null) {
                    report(active.get(k), outs[k], start);   // after the step's scope: no step temporaries alive
                }
            }
        }
    }

    /**
     * The probe seam for fixture checks and benchmarks: one step of the only job at 0-based iteration {@code i},
     * with {@code probe} looking at its intermediate tensors. No listener is called.
     *
     * @throws RenderException when the loss is not a finite number
     */
    public StepOutcome step(int i, boolean wantPreview, StepProbe probe) {
        if (jobs.size() != 1) {
            throw new IllegalStateException("a probed step is for one job; this optimizer has " + jobs.size());
        }
        RunningJob only = jobs.get(0);
        only.done = i;
        StepOutcome out = step(jobs, new boolean[] {wantPreview}, probe)[0];
        if (out == null) {
            RenderException e = ((Outcome.Failed) only.outcome).error();
            only.outcome = null;
            throw e;
        }
        return out;
    }

    private Outcome finish(RunningJob s, Instant start) {
        try (NDScope scope = new NDScope()) {
            BufferedImage image = Previews.toImage(s.job.drawer().render().clip(0f, 1f));
            return new Outcome.Finished(new LoopResult(image, s.done, s.lastLoss, Duration.between(start, clock.instant())));
        } catch (RuntimeException e) {
            return new Outcome.Failed(new RenderException("the final image could not be made: " + e.getMessage(), e));
        }
    }

    private boolean previewDue(RunningJob s) {
        Settings st = s.job.settings();
        if (st.previewEvery() > 0 && s.done % st.previewEvery() == 0) {
            return true;
        }
        return st.previewInterval() != null
                && Duration.between(s.lastPreview, clock.instant()).compareTo(st.previewInterval()) >= 0;
    }

    /**
     * One optimizer step of every active job at its own iteration ({@code done}), in one pass. Returns each job's
     * outcome, or null for a job whose loss was not finite (its outcome is then set to the failure).
     */
    private StepOutcome[] step(List<RunningJob> active, boolean[] wantPreview, StepProbe probe) {
        int b = active.size();
        StepOutcome[] outs = new StepOutcome[b];
        try (NDScope scope = new NDScope()) {
            List<NDList> terms = new ArrayList<>(b);
            BufferedImage[] previews = new BufferedImage[b];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Rendering rendering = Drawers.renderStep(active.stream().map(s -> s.job.drawer()).toList(),
                        memory.checkpointDecoder());
                ClampWithGrad synth = ClampWithGrad.of(rendering.image(), 0f, 1f);          // [B, 3, H, W]
                probe.synth(synth.output());
                NDList cutList = new NDList(b);
                List<ClipPasses.Rows> rows = new ArrayList<>(b);
                int offset = 0;
                for (int k = 0; k < b; k++) {
                    RunningJob s = active.get(k);
                    NDArray image = b == 1 ? synth.output() : synth.output().get(new NDIndex("{}:{}", k, k + 1)); // [1, 3, H, W]
                    if (wantPreview[k]) {
                        previews[k] = Previews.toImage(image);
                    }
                    CutoutBatch cuts = Cutouts.applyScoped(s.job.cutouts(), image);          // [n_k, 3, R, R]
                    int n = Math.toIntExact(cuts.pixels().getShape().get(0));
                    cutList.add(cuts.pixels());
                    rows.add(new ClipPasses.Rows(offset, n, cuts.counts(), s.job.prompts().at(s.done)));
                    offset += n;
                }
                NDArray cutPre = b == 1 ? cutList.get(0) : NDArrays.concat(cutList, 0);     // [Σn_k, 3, R, R]
                GradientStage cutStage = clampCutouts ? ClampWithGrad.of(cutPre, 0f, 1f) : GradientRelay.of(cutPre);
                NDArray cut = cutStage.output();                                            // leaf [Σn_k, 3, R, R]
                probe.cutouts(cut);
                NDArray regLoss = null;
                for (RunningJob s : active) {
                    NDList jobTerms = new NDList();
                    NDArray reg = s.job.settings().initWeight().term(s.job.drawer().parameters(), s.initialParams, s.done);
                    if (reg != null) {
                        jobTerms.add(reg.stopGradient());
                        regLoss = regLoss == null ? reg : regLoss.add(reg);
                    }
                    terms.add(jobTerms);
                }
                NDArray[][] promptTerms = ClipPasses.run(gc, clip, cut, rows, memory.clipBatch(), probe);
                boolean anyPrompt = false;
                for (int k = 0; k < b; k++) {
                    terms.get(k).addAll(new NDList(promptTerms[k]));
                    anyPrompt |= promptTerms[k].length > 0;
                }
                if (anyPrompt) {
                    gc.backward(cutStage.upstreamSurrogate());
                }
                NDArray last = rendering.surrogate(gc, synth.maskedGradient());
                gc.backward(regLoss == null ? last : last.add(regLoss));
            }
            NDList all = new NDList();
            terms.forEach(all::addAll);
            float[] values = all.isEmpty() ? new float[0] : NDArrays.stack(all).toFloatArray(); // the step's one host sync
            int at = 0;
            for (int k = 0; k < b; k++) {
                RunningJob s = active.get(k);
                int n = terms.get(k).size();
                List<Double> termList = new ArrayList<>(n);
                double total = 0;
                for (int t = 0; t < n; t++) {
                    termList.add((double) values[at + t]);
                    total += values[at + t];
                }
                at += n;
                NDArray params = s.job.drawer().parameters();
                if (!Double.isFinite(total)) {
                    JniUtils.zeroGrad((PtNDArray) params);
                    s.outcome = new Outcome.Failed(nonFiniteLoss(total, s.done));
                    continue;
                }
                NDArray grad = params.getGradient();
                probe.gradient(grad);
                s.adam.step(params, grad);
                JniUtils.zeroGrad((PtNDArray) params);
                probe.updated(params);
                s.job.drawer().afterStep();
                outs[k] = new StepOutcome(termList, total, previews[k]);
            }
        }
        return outs;
    }

    /** Counts the step and tells the job's listener; a listener that throws fails its own job. */
    private void report(RunningJob s, StepOutcome out, Instant start) {
        int i = s.done;
        s.done++;
        s.lastLoss = out.total();
        Instant now = clock.instant();
        try {
            s.listener.onStep(new StepEvent(i, s.job.settings().iterations(), out.terms(), out.total(),
                    Duration.between(start, now)));
            if (out.preview() != null) {
                s.lastPreview = now;
                s.listener.onPreview(i, out.preview());
            }
        } catch (CancelledException | RenderException e) {
            s.outcome = e instanceof RenderException r ? new Outcome.Failed(r) : new Outcome.Cancelled(s.done);
        } catch (RuntimeException e) {
            s.outcome = new Outcome.Failed(new RenderException("the job's progress listener failed: " + e.getMessage(), e));
        }
    }

    @Override
    public void close() {
        jobs.forEach(RunningJob::close);
    }

    /**
     * A loss that is not a number: at the first step nothing was updated yet, so the model's weights produce it (a
     * broken or incompatible file); later the optimizer diverged.
     */
    static RenderException nonFiniteLoss(double total, int iteration) {
        if (iteration == 0) {
            return new RenderException("the loss is " + total + " at the first step, before any update: the model weights "
                    + "produce non-finite values (a broken or incompatible model file?)");
        }
        return new RenderException("the loss became " + total + " at iteration " + iteration + "; try a lower learning rate");
    }
}
