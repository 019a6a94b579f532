package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * A decode whose backward recomputes instead of remembering: gradient checkpointing (T. Chen et al., "Training Deep
 * Nets with Sublinear Memory Cost", 2016) at the boundaries of the decoder's stages.
 *
 * <p>The forward runs on a detached copy of the latent, so autograd records nothing and only each stage's input is
 * kept (at 256² the top level's are [1, 128, 256, 256], 32 MiB each). {@link #surrogate} then walks the stages
 * backwards: it reruns one stage on its saved input with gradients on, back-propagates the incoming gradient through
 * it and hands the input's gradient to the stage before, so only one stage's activations are alive at a time. The
 * price is one more decoder forward per step; the result is the plain backward's gradient.
 */
public final class CheckpointedDecode {
    private final List<DecodeStage> stages;
    private final NDArray latent;          // attached to the caller's graph
    private final List<NDArray> inputs;    // input of stage i + 1, detached
    private final NDArray output;          // detached

    private CheckpointedDecode(List<DecodeStage> stages, NDArray latent, List<NDArray> inputs,
                               NDArray output) {
        this.stages = stages;
        this.latent = latent;
        this.inputs = inputs;
        this.output = output;
    }

    static CheckpointedDecode run(List<DecodeStage> stages, NDArray latent) {
        NDManager owner = latent.getManager();
        List<NDArray> inputs = new ArrayList<>(stages.size() - 1);
        NDArray h = latent.stopGradient();
        for (int i = 0; i < stages.size(); i++) {
            DecodeStage stage = stages.get(i);
            NDArray in = h;
            h = Ops.scoped(owner, () -> stage.apply(in));
            if (i > 0) {
                inputs.add(in);
            } else {
                in.close();
            }
        }
        return new CheckpointedDecode(stages, latent, inputs, h);
    }

    /** The decoded image, detached from any graph. */
    public NDArray output() {
        return output;
    }

    /**
     * Back-propagates {@code gradOutput} (d loss / d output) through all stages but the first and returns the scalar
     * {@code Σ stage₀(latent) · g₁}, whose backward carries the gradient on into the latent's graph. Frees the saved
     * stage inputs as it goes; call once.
     */
    public NDArray surrogate(GradientCollector gc, NDArray gradOutput) {
        NDManager owner = latent.getManager();
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
        NDArray first = stages.get(0).apply(latent);
        return first.mul(g).sum();
    }
}
