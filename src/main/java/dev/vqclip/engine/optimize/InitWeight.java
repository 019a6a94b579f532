package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/**
 * The optional init_weight regulariser on the optimised parameters, in either reference form. Listed first among
 * the loss terms, as the references do.
 */
public sealed interface InitWeight {

    /** No regulariser. */
    InitWeight NONE = new None();

    /** The term at 0-based step {@code i}, or null when there is none. */
    NDArray term(NDArray params, NDArray initialParams, int i);

    record None() implements InitWeight {
        @Override
        public NDArray term(NDArray params, NDArray initialParams, int i) {
            return null;
        }
    }

    /** nerdyrodent's generate.py (and the July 2021 notebook): {@code MSE(z, 0)·w / (2i + 1) / 2}, pulling z to 0. */
    record DecayingToZero(double weight) implements InitWeight {
        public DecayingToZero {
            requireWeight(weight);
        }

        @Override
        public NDArray term(NDArray params, NDArray initialParams, int i) {
            return Scalars.mul(params.square().mean(), weight / (2.0 * i + 1) / 2);
        }
    }

    /** K. Crowson's notebook: {@code MSE(z, z_orig)·w / 2}, a constant pull towards the initial latent. */
    record ConstantToInit(double weight) implements InitWeight {
        public ConstantToInit {
            requireWeight(weight);
        }

        @Override
        public NDArray term(NDArray params, NDArray initialParams, int i) {
            return Scalars.mul(params.sub(initialParams).square().mean(), weight / 2);
        }
    }

    private static void requireWeight(double w) {
        if (!(w > 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("init weight must be a positive number, got " + w);
        }
    }
}
