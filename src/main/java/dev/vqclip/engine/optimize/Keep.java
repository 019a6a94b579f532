package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/** Moves an array that must outlive the current {@link NDScope} (optimizer state, targets) to its owner. */
final class Keep {
    private Keep() {
    }

    static NDArray in(NDManager owner, NDArray array) {
        NDScope.unregister(array);
        array.attach(owner);
        return array;
    }
}
