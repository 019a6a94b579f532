package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.vqclip.engine.nn.Ops;
import java.util.function.UnaryOperator;

/**
 * One decode stage run for a backward done by hand ({@link CheckpointedDecode}): its output carries no graph, and
 * {@link #backward} turns the gradient at the output into the gradient at the input. How much the pass keeps between
 * the two is what the kinds below trade against recomputation.
 */
final class StagePass {
    private final NDArray output;
    private final UnaryOperator<NDArray> backward;

    /** {@code output}: the stage's output, detached; {@code backward}: d loss / d output -> d loss / d input. */
    StagePass(NDArray output, UnaryOperator<NDArray> backward) {
        this.output = output;
        this.backward = backward;
    }

    /** The stage's output, detached from any graph. Owned by the pass's caller. */
    NDArray output() {
        return output;
    }

    /**
     * d loss / d input from d loss / d output (left open); frees what the pass kept. Call once, inside the gradient
     * collector the forward ran in.
     */
    NDArray backward(NDArray gradOutput) {
        return backward.apply(gradOutput);
    }

    /** Keeps only the input; the backward reruns the stage with gradients on (gradient checkpointing). */
    static StagePass recompute(UnaryOperator<NDArray> op, NDArray x) {
        NDArray out = Ops.scoped(x.getManager(), () -> op.apply(x)); // x needs no gradient: nothing is recorded
        return new StagePass(out, g -> rerunBackward(op, x, g));
    }

    /** Keeps the stage's graph from the forward, as a plain decode does; the backward walks it. */
    static StagePass keep(UnaryOperator<NDArray> op, NDArray x) {
        NDArray leaf = leaf(x);
        NDArray attached = Ops.scoped(x.getManager(), () -> op.apply(leaf));
        return new StagePass(attached.stopGradient(), g -> {
            try (leaf; attached) {
                return graphBackward(attached, g, leaf);
            }
        });
    }

    /**
     * {@code kept(cheap(x))} keeping only {@code kept}'s graph: the backward walks it, then reruns {@code cheap} from
     * {@code x} to go on to the input.
     */
    static StagePass recomputeThenKeep(UnaryOperator<NDArray> cheap, UnaryOperator<NDArray> kept, NDArray x) {
        NDManager owner = x.getManager();
        NDArray mid = recording(Ops.scoped(owner, () -> cheap.apply(x)));
        NDArray attached = Ops.scoped(owner, () -> kept.apply(mid));
        return new StagePass(attached.stopGradient(), g -> {
            try (mid; attached; NDArray gMid = graphBackward(attached, g, mid)) {
                return rerunBackward(cheap, x, gMid);
            }
        });
    }

    /** A handle on {@code x}'s storage with no history that records gradients: where a hand-walked graph starts. */
    static NDArray leaf(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** {@code t}, computed with no graph, now recording gradients. */
    static NDArray recording(NDArray t) {
        t.setRequiresGradient(true);
        return t;
    }

    /** Back-propagates {@code gradOutput} through the recorded graph from {@code leaf} to {@code attached}. */
    static NDArray graphBackward(NDArray attached, NDArray gradOutput, NDArray leaf) {
        return Ops.scoped(leaf.getManager(), () -> {
            backward(attached, gradOutput);
            return leaf.getGradient();
        });
    }

    /** Reruns {@code op} on {@code x} with gradients on and back-propagates {@code gradOutput} through it. */
    static NDArray rerunBackward(UnaryOperator<NDArray> op, NDArray x, NDArray gradOutput) {
        return Ops.scoped(x.getManager(), () -> {
            NDArray leaf = leaf(x);
            backward(op.apply(leaf), gradOutput);
            return leaf.getGradient();
        });
    }

    /**
     * {@code output.backward(gradOutput)}: seeds the backward with the gradient itself. DJL's collector seeds it with
     * ones, which would take {@code Σ output · g} and two more full-size multiplications per stage.
     */
    private static void backward(NDArray output, NDArray gradOutput) {
        JniUtils.backward((PtNDArray) output, (PtNDArray) gradOutput, false, false);
    }
}
