package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/**
 * {@code replace_grad(a, b)} of K. Crowson's notebook: the value of {@code a}, the gradient of {@code b}. Written
 * as {@code stopgrad(a) + (b − stopgrad(b))}, so the forward value is exactly {@code a} (b − b is exactly zero)
 * and the backward passes the incoming gradient to {@code b} unchanged.
 */
final class ReplaceGrad {
    private ReplaceGrad() {
    }

    static NDArray of(NDArray valueOf, NDArray gradientTo) {
        return valueOf.stopGradient().add(gradientTo.sub(gradientTo.stopGradient()));
    }
}
