package dev.vqclip.cli;

import dev.vqclip.engine.ModelRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where models live and which device runs them: shared by every command that renders. */
final class EngineOptions {
    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "${env:VQCLIP_MODELS_DIR:-models}",
            description = "where model files live; catalog models are downloaded here on first use (default: ${DEFAULT-VALUE})")
    Path modelsDir;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "compute device (gpu: CLIP in fp16, decoder in fp32, as the reference); default ${DEFAULT-VALUE}")
    String device;

    /** A repository that resolves names through the catalog (downloading with a progress bar on {@code err}). */
    ModelRepository repository(PrintWriter err) {
        return ModelRepository.open(modelsDir, device, err);
    }
}
