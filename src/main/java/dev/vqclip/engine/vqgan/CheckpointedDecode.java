package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * A decode whose backward is walked by hand, stage by stage, so that each stage can keep less than autograd would:
 * gradient checkpointing (T. Chen et al., "Training Deep Nets with Sublinear Memory Cost", 2016) at the boundaries of
 * the decoder's stages.
 *
 * <p>The stages run on a detached copy of the latent, each as a {@link StagePass}: recomputed (only its input is kept;
 * at 256² the top level's are [1, 128, 256, 256], 32 MiB each) or lean (norm + swish recomputed, the convolutions'
 * inputs kept). {@link #surrogate} then walks the passes backwards, handing each input's gradient to the pass before,
 * and returns a scalar whose backward carries the last gradient into the latent's graph. The result is the plain
 * backward's gradient.
 */
public final class CheckpointedDecode {
    /** How the stages after the head are run. */
    enum Kind { RECOMPUTE, LEAN }

    private final NDArray latent;         // attached to the caller's graph
    private final NDArray latentDetached; // the first pass's input
    private final List<StagePass> passes;

    private CheckpointedDecode(NDArray latent, NDArray latentDetached, List<StagePass> passes) {
        this.latent = latent;
        this.latentDetached = latentDetached;
        this.passes = passes;
    }

    /** Runs {@code stages} on {@code latent}, each as a pass of the given kind. */
    static CheckpointedDecode run(List<DecodeStage> stages, NDArray latent, Kind kind) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a checkpointed decode needs at least one stage");
        }
        NDArray latentDetached = latent.stopGradient();
        List<StagePass> passes = new ArrayList<>(stages.size());
        NDArray h = latentDetached;
        for (DecodeStage stage : stages) {
            StagePass pass = kind == Kind.LEAN ? stage.leanPass(h) : StagePass.recompute(stage.op(), h);
            passes.add(pass);
            h = pass.output();
        }
        return new CheckpointedDecode(latent, latentDetached, passes);
    }

    /** The decoded image, detached from any graph. */
    public NDArray output() {
        return passes.get(passes.size() - 1).output();
    }

    /**
     * Back-propagates {@code gradOutput} (d loss / d output) through every pass and returns the scalar
     * {@code Σ latent · g}, whose backward carries the gradient on into the latent's graph. Frees what the passes kept
     * as it goes; call once.
     */
    public NDArray surrogate(GradientCollector gc, NDArray gradOutput) {
        NDArray g = gradOutput;
        for (int i = passes.size() - 1; i >= 0; i--) {
            NDArray upstream = g;
            g = passes.get(i).backward(upstream);
            if (upstream != gradOutput) {
                upstream.close();
            }
            (i > 0 ? passes.get(i - 1).output() : latentDetached).close(); // pass i's input
        }
        try (NDArray gLatent = g) {
            return Ops.scoped(latent.getManager(), () -> latent.mul(gLatent).sum());
        }
    }
}
