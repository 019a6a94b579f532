package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * A decode whose backward recomputes instead of remembering: gradient checkpointing (T. Chen et al., "Training Deep
 * Nets with Sublinear Memory Cost", 2016) at the boundaries of the decoder's stages, from a given stage on.
 *
 * <p>The stages before {@code from} run normally, in the caller's graph (the head). The rest run on a detached copy
 * of the head's output, so autograd records nothing and only each stage's input is kept (at 256² the top level's are
 * [1, 128, 256, 256], 32 MiB each). {@link #surrogate} then walks those stages backwards: it reruns one stage on its
 * saved input with gradients on, back-propagates the incoming gradient through it and hands the input's gradient to
 * the stage before, so only one stage's activations are alive at a time. The price is one more forward of the
 * checkpointed stages per step; the result is the plain backward's gradient.
 */
public final class CheckpointedDecode {
    private final List<DecodeStage> stages; // the checkpointed ones
    private final NDArray head;            // their input, attached to the caller's graph
    private final List<NDArray> inputs;    // input of stage i + 1, detached
    private final NDArray output;          // detached

    private CheckpointedDecode(List<DecodeStage> stages, NDArray head, List<NDArray> inputs,
                               NDArray output) {
        this.stages = stages;
        this.head = head;
        this.inputs = inputs;
        this.output = output;
    }

    /** Runs {@code stages} on {@code latent}, checkpointing stage {@code from} and the ones after it. */
    static CheckpointedDecode run(List<DecodeStage> stages, NDArray latent, int from) {
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
        List<DecodeStage> tail = stages.subList(from, stages.size());
        List<NDArray> inputs = new ArrayList<>(tail.size() - 1);
        NDArray h = head.stopGradient();
        for (int i = 0; i < tail.size(); i++) {
            DecodeStage stage = tail.get(i);
            NDArray in = h;
            h = Ops.scoped(owner, () -> stage.apply(in));
            if (i > 0) {
                inputs.add(in);
            } else {
                in.close();
            }
        }
        return new CheckpointedDecode(tail, head, inputs, h);
    }

    /** The decoded image, detached from any graph. */
    public NDArray output() {
        return output;
    }

    /**
     * Back-propagates {@code gradOutput} (d loss / d output) through all checkpointed stages but the first and returns
     * the scalar {@code Σ stage₀(head) · g₁}, whose backward carries the gradient on through the head into the
     * latent's graph. Frees the saved stage inputs as it goes; call once.
     */
    public NDArray surrogate(GradientCollector gc, NDArray gradOutput) {
        NDManager owner = head.getManager();
        NDArray g = gradOutput;
        for (int i = stages.size() - 1; i >= 1; i--) {
            DecodeStage stage = stages.get(i);
            NDArray saved = inputs.get(i - 1);
            NDArray upstream = g;
            NDArray gIn = Ops.scoped(owner, () -> {
                NDArray x = saved.stopGradient();
                x.setRequiresGradient(true);
                gc.backward(stage.apply(x).mul(upstream).sum());
                return x.getGradient();
            });
            saved.close();
            if (upstream != gradOutput) {
                upstream.close();
            }
            g = gIn;
        }
        NDArray first = stages.get(0).apply(head);
        return first.mul(g).sum();
    }
}
