package dev.vqclip.engine.optimize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.CancelledException;
import dev.vqclip.engine.RenderException;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.clip.ClipNormalize;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.StepEvent;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The VQGAN+CLIP optimisation loop (K. Crowson's z+quantize method, with nerdyrodent's generate.py options). One
 * step: zero the gradient → {@code image = clamp_with_grad(drawer.render(), 0, 1)} → cutouts (clamped with grad
 * for the "original" kind) → CLIP normalisation → image embeddings → init-weight term + spherical prompt losses →
 * backward → Adam → the drawer's clamp. Each step runs in its own {@link NDScope}, so memory stays flat.
 *
 * <p>The only host transfers in a step are the loss values (one small array) and, when a preview is due, the
 * step's own clamped image (no extra decode). One instance runs one optimisation on the calling thread; the
 * drawer, encoder, cutouts and prompts stay owned by the caller.
 */
public final class LatentOptimizer implements AutoCloseable {

    /**
     * @param iterations      optimizer steps to run
     * @param previewEvery    send a preview every N steps (0 = never by count); step 0 counts
     * @param previewInterval also send one when this much time passed since the last (null = never by time)
     * @param seed            seeds the engine generator at the start of {@link #run} (the pooled cutouts reseed it
     *                        from their own host stream on every call, see {@link CutoutsPooled})
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

    private final Drawer drawer;
    private final ImageEncoder clip;
    private final Cutouts cutouts;
    private final PromptPlan prompts;
    private final Settings settings;
    private final Clock clock;
    private final NDManager manager;
    private final NDArray initialParams;
    private final Adam adam;

    public LatentOptimizer(Drawer drawer, ImageEncoder clip, Cutouts cutouts, PromptPlan prompts, Settings settings,
                           Clock clock) {
        this.drawer = drawer;
        this.clip = clip;
        this.cutouts = cutouts;
        this.prompts = prompts;
        this.settings = settings;
        this.clock = clock;
        NDArray params = drawer.parameters();
        this.manager = params.getManager().newSubManager();
        try (NDScope scope = new NDScope()) {
            this.initialParams = settings.initWeight() instanceof InitWeight.ConstantToInit
                    ? Keep.in(manager, params.stopGradient().duplicate()) : null;
        }
        this.adam = new Adam(params, settings.adam());
    }

    /**
     * Runs all iterations. Calls {@code listener.onStep} after every step and {@code onPreview} when a preview is
     * due; checks {@code cancel} before every step. Returns the image of the final parameters.
     *
     * @throws CancelledException when cancelled
     * @throws RenderException    when the loss stops being a finite number
     */
    public LoopResult run(RenderListener listener, CancellationToken cancel) {
        Engine.getInstance().setRandomSeed((int) (settings.seed() ^ (settings.seed() >>> 32)));
        Instant start = clock.instant();
        Instant lastPreview = start;
        double lastLoss = Double.NaN;
        int total = settings.iterations();
        for (int i = 0; i < total; i++) {
            if (cancel.isCancelled()) {
                throw new CancelledException(i);
            }
            boolean preview = previewDue(i, lastPreview);
            StepOutcome out = step(i, preview, StepProbe.NONE);
            lastLoss = out.total();
            Instant now = clock.instant();
            listener.onStep(new StepEvent(i, total, out.terms(), out.total(), Duration.between(start, now)));
            if (out.preview() != null) {
                lastPreview = now;
                listener.onPreview(i, out.preview());
            }
        }
        BufferedImage finalImage;
        try (NDScope scope = new NDScope()) {
            finalImage = Previews.toImage(drawer.render().clip(0f, 1f));
        }
        return new LoopResult(finalImage, total, lastLoss, Duration.between(start, clock.instant()));
    }

    private boolean previewDue(int i, Instant lastPreview) {
        if (settings.previewEvery() > 0 && i % settings.previewEvery() == 0) {
            return true;
        }
        return settings.previewInterval() != null
                && Duration.between(lastPreview, clock.instant()).compareTo(settings.previewInterval()) >= 0;
    }

    /** The loss terms of one step (init-weight term first when present, then the prompts) and its preview. */
    record StepOutcome(List<Double> terms, double total, BufferedImage preview) {
    }

    /**
     * One optimizer step at 0-based iteration {@code i}. CLIP sees the cutouts {@link MemoryPlan#clipBatch()} at a
     * time: each group's prompt losses are back-propagated into the cutouts leaf before the next group runs, so only
     * one group's CLIP activations are alive at once; the decoder's graph is walked once at the end. The prompt
     * loss is a mean over cutouts, so the sum of the groups' partial losses is the reference's loss and gradient.
     */
    StepOutcome step(int i, boolean wantPreview, StepProbe probe) {
        NDArray params = drawer.parameters();
        try (NDScope scope = new NDScope()) {
            List<SphericalPrompt> active = prompts.at(i);
            NDList terms = new NDList();
            BufferedImage preview = null;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Rendering rendering = settings.memory().checkpointDecoder()
                        ? drawer.renderCheckpointed() : Rendering.attached(drawer.render());
                ClampWithGrad synth = ClampWithGrad.of(rendering.image(), 0f, 1f);  // [1, 3, H, W]
                probe.synth(synth.output());
                if (wantPreview) {
                    preview = Previews.toImage(synth.output());
                }
                CutoutBatch batch = cutouts.apply(synth.output());
                NDArray cutPre = batch.pixels();                                      // [n, 3, R, R]
                GradientStage cutStage = cutouts.clampsOutput()
                        ? ClampWithGrad.of(cutPre, 0f, 1f) : GradientRelay.of(cutPre);
                NDArray cut = cutStage.output();                                      // leaf [n, 3, R, R]
                probe.cutouts(cut);
                NDArray reg = settings.initWeight().term(params, initialParams, i);
                if (reg != null) {
                    terms.add(reg.stopGradient());
                }
                NDArray[] promptTerms = clipPasses(gc, cut, batch, active, probe);
                terms.addAll(new NDList(promptTerms));
                if (!active.isEmpty()) {
                    gc.backward(cutStage.upstreamSurrogate());
                }
                NDArray last = rendering.surrogate(gc, synth.maskedGradient());
                gc.backward(reg == null ? last : last.add(reg));
            }
            float[] values = NDArrays.stack(terms).toFloatArray();                   // the step's one host sync
            List<Double> termList = new ArrayList<>(values.length);
            double total = 0;
            for (float v : values) {
                termList.add((double) v);
                total += v;
            }
            if (!Double.isFinite(total)) {
                throw nonFiniteLoss(total, i);
            }
            NDArray grad = params.getGradient();
            probe.gradient(grad);
            adam.step(params, grad);
            JniUtils.zeroGrad((PtNDArray) params);
            probe.updated(params);
            drawer.afterStep();
            return new StepOutcome(termList, total, preview);
        }
    }

    /**
     * Runs CLIP and the prompt losses over the cutouts leaf in groups, back-propagating each group into the leaf.
     * Returns each active prompt's loss over all cutouts (detached scalars).
     */
    private NDArray[] clipPasses(GradientCollector gc, NDArray cut, CutoutBatch batch, List<SphericalPrompt> active,
                                 StepProbe probe) {
        int n = Math.toIntExact(cut.getShape().get(0));
        int group = settings.memory().clipBatch() == 0 ? n : settings.memory().clipBatch();
        int[] counts = batch.counts();
        float[] shares = SphericalPrompt.rowShares(counts == null ? ones(n) : counts);
        NDArray[] promptTerms = new NDArray[active.size()];
        NDList embedGroups = new NDList();
        for (int start = 0; start < n; start += group) {
            int from = start;
            int to = Math.min(n, start + group);
            NDList kept = Ops.scopedList(cut.getManager(), () -> {
                NDArray embeds = clip.encodeImage(ClipNormalize.apply(cut.get(from + ":" + to))); // [g, D]
                probe.clipForward();
                // one host-to-device copy per group, shared by every prompt
                NDArray groupShares = embeds.getManager().create(Arrays.copyOfRange(shares, from, to),
                        new Shape(to - from));                                                    // [g]
                NDList out = new NDList(embeds.stopGradient());
                NDArray groupLoss = null;
                for (SphericalPrompt p : active) {
                    NDArray l = p.partialLoss(embeds, groupShares);
                    out.add(l.stopGradient());
                    groupLoss = groupLoss == null ? l : groupLoss.add(l);
                }
                if (groupLoss != null) {
                    gc.backward(groupLoss);
                }
                probe.clipBackward();
                return out;
            });
            embedGroups.add(kept.get(0));
            for (int p = 0; p < active.size(); p++) {
                NDArray l = kept.get(p + 1);
                promptTerms[p] = promptTerms[p] == null ? l : promptTerms[p].add(l);
            }
        }
        probe.imageEmbeds(embedGroups.size() == 1 ? embedGroups.get(0) : NDArrays.concat(embedGroups));
        return promptTerms;
    }

    private static int[] ones(int n) {
        int[] v = new int[n];
        Arrays.fill(v, 1);
        return v;
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
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
