package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.nn.Ops;
import java.util.List;

/** Helpers for a network written as a chain of stages that each leave their input open. */
final class Stages {
    private Stages() {
    }

    /** Runs the stages one after the other, closing each intermediate once the next stage has consumed it. */
    static NDArray chain(List<DecodeStage> stages, NDArray input) {
        NDArray h = stages.get(0).apply(input);
        for (DecodeStage stage : stages.subList(1, stages.size())) {
            h = Ops.advance(h, stage::apply);
        }
        return h;
    }
}
