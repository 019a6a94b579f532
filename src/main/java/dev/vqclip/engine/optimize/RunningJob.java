package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.RenderListener;
import java.time.Instant;

/** A {@link LatentOptimizer.Job}'s optimizer state and progress; owns its Adam moments and initial parameters. */
final class RunningJob implements AutoCloseable {
    final LatentOptimizer.Job job;
    final NDManager manager;
    final NDArray initialParams;
    final Adam adam;
    RenderListener listener;
    CancellationToken cancel;
    int done;
    Instant lastPreview;
    double lastLoss = Double.NaN;
    LatentOptimizer.Outcome outcome;

    RunningJob(LatentOptimizer.Job job) {
        this.job = job;
        this.listener = job.listener();
        this.cancel = job.cancel();
        NDArray params = job.drawer().parameters();
        this.manager = params.getManager().newSubManager();
        try (NDScope scope = new NDScope()) {
            this.initialParams = job.settings().initWeight() instanceof InitWeight.ConstantToInit
                    ? Keep.in(manager, params.stopGradient().duplicate()) : null;
        }
        this.adam = new Adam(params, job.settings().adam());
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }
}
