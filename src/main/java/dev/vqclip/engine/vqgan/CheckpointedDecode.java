package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * A decode whose backward is walked by hand, stage by stage, so that each stage can keep less than autograd would:
 * gradient checkpointing (T. Chen et al., "Training Deep Nets with Sublinear Memory Cost", 2016) at the boundaries of
 * the decoder's stages, from a given stage on.
 *
 * <p>The stages before {@code from} run normally, in the caller's graph (the head). The rest run on a detached copy
 * of the head's output, each as a {@link StagePass}: recomputed (only its input is kept; at 256² the top level's are
 * [1, 128, 256, 256], 32 MiB each) or lean (norm + swish recomputed, convolution inputs kept). {@link #surrogate}
 * then walks the passes backwards, handing each input's gradient to the pass before, and returns a scalar whose
 * backward carries the last gradient into the head. The result is the plain backward's gradient.
 */
public final class CheckpointedDecode {
    /** How the stages after the head are run. */
    enum Kind { RECOMPUTE, LEAN }

    private final NDArray head;          // the passes' input, attached to the caller's graph
    private final NDArray headDetached;  // the first pass's input
    private final List<StagePass> passes;

    private CheckpointedDecode(NDArray head, NDArray headDetached, List<StagePass> passes) {
        this.head = head;
        this.headDetached = headDetached;
        this.passes = passes;
    }

    /** Runs {@code stages} on {@code latent}, the ones from stage {@code from} on as passes of the given kind. */
    static CheckpointedDecode run(List<DecodeStage> stages, NDArray latent, int from, Kind kind) {
        if (from < 0 || from >= stages.size()) {
            throw new IllegalArgumentException("the first checkpointed stage must be in [0, " + stages.size() + "), got " + from);
        }
        NDManager owner = latent.getManager();
        NDArray head = latent;
        for (int i = 0; i < from; i++) {
            DecodeStage stage = stages.get(i);
            NDArray in = head;
            head = Ops.scoped(owner, () -> stage.apply(in));
            if (in != latent) {
                in.close(); // autograd keeps what the head's backward needs
            }
        }
        NDArray headDetached = head.stopGradient();
        List<StagePass> passes = new ArrayList<>(stages.size() - from);
        NDArray h = headDetached;
        for (DecodeStage stage : stages.subList(from, stages.size())) {
            StagePass pass = kind == Kind.LEAN ? stage.leanPass(h) : StagePass.recompute(stage.op(), h);
            passes.add(pass);
            h = pass.output();
        }
        return new CheckpointedDecode(head, headDetached, passes);
    }

    /** The decoded image, detached from any graph. */
    public NDArray output() {
        return passes.get(passes.size() - 1).output();
    }

    /**
     * Back-propagates {@code gradOutput} (d loss / d output) through every pass and returns the scalar
     * {@code Σ head · g}, whose backward carries the gradient on through the head into the latent's graph. Frees what
     * the passes kept as it goes; call once.
     */
    public NDArray surrogate(GradientCollector gc, NDArray gradOutput) {
        NDArray g = gradOutput;
        for (int i = passes.size() - 1; i >= 0; i--) {
            NDArray upstream = g;
            g = passes.get(i).backward(upstream);
            if (upstream != gradOutput) {
                upstream.close();
            }
            (i > 0 ? passes.get(i - 1).output() : headDetached).close(); // pass i's input
        }
        try (NDArray gHead = g) {
            return Ops.scoped(head.getManager(), () -> head.mul(gHead).sum());
        }
    }
}
