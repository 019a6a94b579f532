package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adam / AdamW with {@code torch.optim.Adam(W)}'s arithmetic (single-tensor path, no amsgrad): bias corrections
 * applied as {@code lr/(1−β1^t)} and {@code sqrt(v)/sqrt(1−β2^t) + eps}, eps after the square root. DJL's own Adam
 * folds the corrections differently, so this is written out. Updates the parameter in place; call it outside the
 * gradient collector.
 */
final class Adam implements AutoCloseable {
    private final AdamSettings settings;
    private final NDManager state;
    private final NDArray m;
    private final NDArray v;
    private int t;

    public Adam(NDArray param, AdamSettings settings) {
        this.settings = settings;
        this.state = param.getManager().newSubManager();
        this.m = Keep.in(state, state.zeros(param.getShape(), param.getDataType()));
        this.v = Keep.in(state, state.zeros(param.getShape(), param.getDataType()));
    }

    public int steps() {
        return t;
    }

    public void step(NDArray param, NDArray grad) {
        t++;
        double lr = settings.lr();
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double wd = settings.weightDecay();
        NDArray g = grad;
        if (wd != 0) {
            if (settings.decoupled()) {
                param.muli((float) (1 - lr * wd));
            } else {
                g = grad.add(param.mul((float) wd));
            }
        }
        m.muli((float) b1).addi(g.mul((float) (1 - b1)));
        v.muli((float) b2).addi(g.square().mul((float) (1 - b2)));
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        NDArray denom = v.sqrt().div((float) Math.sqrt(bc2)).add((float) settings.eps());
        param.subi(m.div(denom).mul((float) (lr / bc1)));
    }

    @Override
    public void close() {
        state.close();
    }
}
