package dev.vqclip.app;

import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.optimize.MemoryPlan;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Where models live, which device runs them and how each optimizer step trades compute for memory.
 *
 * @param device "cpu", "gpu" or "gpu:N"; the engine checks that the device exists when the models are opened
 */
public record EngineConfig(Path modelsDir, String device, MemoryPlan memory) {
    public EngineConfig {
        if (modelsDir == null) {
            throw new IllegalArgumentException("--models-dir must name a folder, got null");
        }
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("--device must be cpu, gpu or gpu:N, got '" + device + "'");
        }
        if (memory == null) {
            throw new IllegalArgumentException("the memory plan must be given, got null");
        }
    }

    /** A repository that resolves names through the catalog (downloading with a progress bar on {@code err}). */
    public ModelRepository repository(PrintWriter err) {
        return ModelRepository.open(modelsDir, device, err);
    }
}
