package dev.vqclip.engine.optimize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.RenderException;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.engine.clip.ClipNormalize;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link LatentOptimizer} jobs in one forward/backward per step, so one worker (one gradient collector per
 * JVM) runs B jobs at once. A step: the active jobs' images in one pass ({@link Drawers#renderStacked}, latents
 * stacked on dim 0) → clamp_with_grad → each job's cutouts from its own image row → one CLIP pass over all
 * cutouts → each job's init-weight term and spherical losses against its own prompts → backward of the SUM over
 * jobs (no term couples two jobs, so each job's gradient is its solo gradient; a mean would divide it by B) →
 * each job's own Adam and clamp.
 *
 * <p>Jobs are independent: each has its own drawer (seeded init), its own cutout generator, its own Adam state and
 * settings (learning rate and optimizer may differ), and its own iteration count: a finished or cancelled job
 * leaves the batch before the next step and the others go on. A job whose loss stops being finite fails alone.
 * The stacked pass needs the same drawer kind and size, cutout size and cutout clamping for every job, checked at
 * construction. Each step runs in one {@link NDScope}; the host transfers are one array of all loss values and the
 * due previews.
 */
public final class BatchOptimizer implements AutoCloseable {

    /**
     * One job of a batch. The drawer, cutouts and prompts stay owned by the caller.
     *
     * @param settings iterations, previews, optimizer and init weight of this job (its seed is not used here: the
     *                 drawer and cutouts carry the job's random streams)
     */
    public record Job(Drawer drawer, Cutouts cutouts, PromptPlan prompts, LatentOptimizer.Settings settings,
                      RenderListener listener, CancellationToken cancel) {
        public Job {
            if (drawer == null || cutouts == null || prompts == null || settings == null || cancel == null) {
                throw new IllegalArgumentException("a batch job needs a drawer, cutouts, prompts, settings and a cancel token");
            }
            listener = listener == null ? RenderListener.NONE : listener;
        }
    }

    /** How one job of the batch ended. */
    public sealed interface Outcome {
        /** All iterations ran; the image of the final parameters. */
        record Finished(LoopResult result) implements Outcome { }

        /** Its token was cancelled before step {@code iteration} (0-based). */
        record Cancelled(int iteration) implements Outcome { }

        /** It failed for a reason a user can be told; the other jobs were not affected unless the pass itself failed. */
        record Failed(RenderException error) implements Outcome { }
    }

    /** A job's optimizer state and progress. */
    private static final class Slot {
        final Job job;
        final NDManager manager;
        final NDArray initialParams;
        final Adam adam;
        int done;
        Instant lastPreview;
        double lastLoss = Double.NaN;
        Outcome outcome;

        Slot(Job job) {
            this.job = job;
            NDArray params = job.drawer().parameters();
            this.manager = params.getManager().newSubManager();
            try (NDScope scope = new NDScope()) {
                this.initialParams = job.settings().initWeight() instanceof InitWeight.ConstantToInit
                        ? Keep.in(manager, params.stopGradient().duplicate()) : null;
            }
            this.adam = new Adam(params, job.settings().adam());
        }
    }

    private final List<Slot> slots;
    private final ImageEncoder clip;
    private final Clock clock;
    private final boolean clampCutouts;

    public BatchOptimizer(List<Job> jobs, ImageEncoder clip, Clock clock) {
        if (jobs == null || jobs.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one job");
        }
        Job first = jobs.get(0);
        for (int k = 1; k < jobs.size(); k++) {
            Job j = jobs.get(k);
            requireSame("drawer", first.drawer().name(), j.drawer().name(), k);
            requireSame("size", first.drawer().width() + "x" + first.drawer().height(),
                    j.drawer().width() + "x" + j.drawer().height(), k);
            requireSame("cut size", first.cutouts().cutSize(), j.cutouts().cutSize(), k);
            requireSame("cut method clamping", first.cutouts().clampsOutput(), j.cutouts().clampsOutput(), k);
        }
        this.clip = clip;
        this.clock = clock;
        this.clampCutouts = first.cutouts().clampsOutput();
        List<Slot> built = new ArrayList<>(jobs.size());
        try {
            for (Job j : jobs) {
                built.add(new Slot(j));
            }
        } catch (RuntimeException e) {
            built.forEach(BatchOptimizer::closeSlot);
            throw e;
        }
        this.slots = List.copyOf(built);
    }

    private static void requireSame(String what, Object a, Object b, int k) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException("jobs 0 and " + k + " cannot share a batch: " + what + " differs ("
                    + a + " vs " + b + ")");
        }
    }

    /**
     * Runs every job to its end. Listeners are called on this thread after each step of their job; a listener that
     * throws fails its own job only. Returns one outcome per job, in order.
     */
    public List<Outcome> run() {
        Instant start = clock.instant();
        for (Slot s : slots) {
            s.lastPreview = start;
        }
        while (true) {
            List<Slot> active = new ArrayList<>(slots.size());
            for (Slot s : slots) {
                if (s.outcome != null) {
                    continue;
                }
                if (s.done == s.job.settings().iterations()) {
                    s.outcome = finish(s, start);
                } else if (s.job.cancel().isCancelled()) {
                    s.outcome = new Outcome.Cancelled(s.done);
                } else {
                    active.add(s);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            try {
                step(active, start);
            } catch (RuntimeException e) {
                // the shared pass itself failed (e.g. out of memory): every job in it fails with the reason
                RenderException reason = e instanceof RenderException r ? r
                        : new RenderException("the batched optimizer step failed: " + e.getMessage(), e);
                for (Slot s : active) {
                    if (s.outcome == null) {
                        s.outcome = new Outcome.Failed(reason);
                    }
                }
            }
        }
        return slots.stream().map(s -> s.outcome).toList();
    }

    private Outcome finish(Slot s, Instant start) {
        try (NDScope scope = new NDScope()) {
            BufferedImage image = Previews.toImage(s.job.drawer().render().clip(0f, 1f));
            return new Outcome.Finished(new LoopResult(image, s.done, s.lastLoss, Duration.between(start, clock.instant())));
        } catch (RuntimeException e) {
            return new Outcome.Failed(new RenderException("the final image could not be made: " + e.getMessage(), e));
        }
    }

    private boolean previewDue(Slot s) {
        LatentOptimizer.Settings st = s.job.settings();
        if (st.previewEvery() > 0 && s.done % st.previewEvery() == 0) {
            return true;
        }
        return st.previewInterval() != null
                && Duration.between(s.lastPreview, clock.instant()).compareTo(st.previewInterval()) >= 0;
    }

    /** One optimizer step of every active job, in one pass. */
    private void step(List<Slot> active, Instant start) {
        int b = active.size();
        boolean[] wantPreview = new boolean[b];
        for (int k = 0; k < b; k++) {
            wantPreview[k] = previewDue(active.get(k));
        }
        List<Runnable> reports = new ArrayList<>(b);
        try (NDScope scope = new NDScope()) {
            List<NDList> terms = new ArrayList<>(b);
            BufferedImage[] previews = new BufferedImage[b];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                List<Drawer> drawers = active.stream().map(s -> s.job.drawer()).toList();
                ClampWithGrad synth = ClampWithGrad.of(Drawers.renderStacked(drawers), 0f, 1f);   // [B, 3, H, W]
                NDList cutList = new NDList(b);
                int[] rows = new int[b];
                int[][] counts = new int[b][];
                for (int k = 0; k < b; k++) {
                    NDArray image = b == 1 ? synth.output() : synth.output().get(new NDIndex("{}:{}", k, k + 1)); // [1, 3, H, W]
                    if (wantPreview[k]) {
                        previews[k] = Previews.toImage(image);
                    }
                    CutoutBatch cuts = active.get(k).job.cutouts().apply(image);                   // [n_k, 3, R, R]
                    cutList.add(cuts.pixels());
                    rows[k] = Math.toIntExact(cuts.pixels().getShape().get(0));
                    counts[k] = cuts.counts();
                }
                NDArray cutPre = b == 1 ? cutList.get(0) : NDArrays.concat(cutList, 0);           // [Σn_k, 3, R, R]
                ClampWithGrad cutClamp = clampCutouts ? ClampWithGrad.of(cutPre, 0f, 1f) : null;
                NDArray cut = cutClamp == null ? cutPre : cutClamp.output();
                NDArray embeds = clip.encodeImage(ClipNormalize.apply(cut));                      // [Σn_k, D]
                NDArray promptLoss = null;
                NDArray regLoss = null;
                int offset = 0;
                for (int k = 0; k < b; k++) {
                    Slot s = active.get(k);
                    NDArray own = b == 1 ? embeds : embeds.get(new NDIndex("{}:{}", offset, offset + rows[k])); // [n_k, D]
                    offset += rows[k];
                    NDList jobTerms = new NDList();
                    NDArray reg = s.job.settings().initWeight().term(s.job.drawer().parameters(), s.initialParams, s.done);
                    if (reg != null) {
                        jobTerms.add(reg);
                        regLoss = regLoss == null ? reg : regLoss.add(reg);
                    }
                    for (SphericalPrompt p : s.job.prompts().at(s.done)) {
                        NDArray l = p.loss(own, counts[k]);
                        jobTerms.add(l);
                        promptLoss = promptLoss == null ? l : promptLoss.add(l);
                    }
                    terms.add(jobTerms);
                }
                gc.backward(promptLoss);                                                          // Σ over jobs
                if (cutClamp != null) {
                    gc.backward(cutClamp.upstreamSurrogate());
                }
                NDArray last = synth.upstreamSurrogate();
                gc.backward(regLoss == null ? last : last.add(regLoss));
            }
            NDList all = new NDList();
            terms.forEach(all::addAll);
            float[] values = NDArrays.stack(all).toFloatArray();                                 // the step's one host sync
            int at = 0;
            for (int k = 0; k < b; k++) {
                Slot s = active.get(k);
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
                    s.outcome = new Outcome.Failed(LatentOptimizer.nonFiniteLoss(total, s.done));
                    continue;
                }
                s.adam.step(params, params.getGradient());
                JniUtils.zeroGrad((PtNDArray) params);
                s.job.drawer().afterStep();
                BufferedImage preview = previews[k];
                double loss = total;
                reports.add(() -> report(s, termList, loss, preview, start));
            }
        }
        reports.forEach(Runnable::run);   // after the step's scope: listeners see no step temporaries
    }

    /** Counts the step and tells the job's listener; a listener that throws fails its own job. */
    private void report(Slot s, List<Double> terms, double total, BufferedImage preview, Instant start) {
        int i = s.done;
        s.done++;
        s.lastLoss = total;
        Instant now = clock.instant();
        try {
            s.job.listener().onStep(new StepEvent(i, s.job.settings().iterations(), terms, total, Duration.between(start, now)));
            if (preview != null) {
                s.lastPreview = now;
                s.job.listener().onPreview(i, preview);
            }
        } catch (RuntimeException e) {
            s.outcome = new Outcome.Failed(new RenderException("the job's progress listener failed: " + e.getMessage(), e));
        }
    }

    private static void closeSlot(Slot s) {
        s.adam.close();
        s.manager.close();
    }

    @Override
    public void close() {
        slots.forEach(BatchOptimizer::closeSlot);
    }
}
