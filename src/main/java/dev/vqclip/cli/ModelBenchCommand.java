package dev.vqclip.cli;

import dev.vqclip.bench.engine.ModelBuildBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Model construction figures: tiny model load times, real-size random-init build time and peak RSS. */
@Command(name = "model-bench", mixinStandardHelpOptions = true,
        description = "Time loading the tiny fixture models (all formats) and building the real-size VQGAN + CLIP with random weights.")
final class ModelBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "src/test/resources/fixtures",
            description = "fixtures folder with the tiny weights (default ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ModelBuildBench.main(new String[] {dir.toString()});
        return 0;
    }
}
