package dev.vqclip.engine.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;

/**
 * Compares autograd with a central finite difference of {@code loss(x) = sum(f(x) · weights)} along a direction:
 * the returned pair is (gradient · direction, (loss(x + eps·d) - loss(x - eps·d)) / 2eps).
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    public static double[] directional(UnaryOperator<NDArray> f, NDArray x, NDArray weights, NDArray direction,
                                       float eps) {
        NDArray leaf = x.duplicate();
        leaf.setRequiresGradient(true);
        double analytic;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = f.apply(leaf).mul(weights).sum();
            gc.backward(loss);
            analytic = leaf.getGradient().mul(direction).sum().getFloat();
        }
        double plus = f.apply(x.add(direction.mul(eps))).mul(weights).sum().toType(DataType.FLOAT64, false).getDouble();
        double minus = f.apply(x.sub(direction.mul(eps))).mul(weights).sum().toType(DataType.FLOAT64, false).getDouble();
        return new double[] {analytic, (plus - minus) / (2 * eps)};
    }
}
