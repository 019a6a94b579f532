package dev.vqclip.cli;

import dev.vqclip.app.EngineConfig;
import dev.vqclip.engine.ModelRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import java.util.Arrays;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where models live and which device runs them: shared by every command that renders. */
final class EngineOptions {
    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = "${env:VQCLIP_MODELS_DIR:-models}",
            description = "where model files live; catalog models are downloaded here on first use (default: ${DEFAULT-VALUE})")
    Path modelsDir;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "compute device (gpu: CLIP in fp16, decoder in fp32, as the reference); default ${DEFAULT-VALUE}")
    String device;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private int clipBatch = MemoryPlan.DEFAULT_CLIP_BATCH;

    @Option(names = "--clip-batch", paramLabel = "N", defaultValue = "8",
            description = "cutouts per CLIP pass (0 = all at once): fewer means less memory at the same speed; default ${DEFAULT-VALUE}")
    void clipBatch(int n) {
        if (n < 0) {
            throw new ParameterException(mixee.commandLine(), "--clip-batch must be >= 0 (0 = all cutouts at once), got " + n);
        }
        clipBatch = n;
    }

    private DecoderCheckpoint checkpointDecoder = MemoryPlan.DEFAULT.checkpointDecoder();

    @Option(names = "--checkpoint-decoder", parameterConsumer = CheckpointValue.class, preprocessor = CheckpointAttached.class,
            paramLabel = "[WHICH]", description = "what the VQGAN decoder recomputes during backward instead of keeping: norms (default: its "
                    + "group norms and swishes, a sixth less peak memory at 256x256 at the same speed), all (the flag "
                    + "alone: every stage, the least memory, one more decoder pass per step) or none (keep everything)")
    void checkpointDecoder(String which) {
        checkpointDecoder = DecoderCheckpoint.parse(which);
    }

    /**
     * The flag's value, when the next argument is one ({@code none}, {@code norms}, {@code all}); otherwise the flag
     * alone means {@code all} and the next argument stays what it is (e.g. the prompt).
     */
    static final class CheckpointValue implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            boolean given = !args.isEmpty() && Arrays.stream(DecoderCheckpoint.values()).anyMatch(c -> c.flag().equals(args.peek()));
            argSpec.setValue(given ? args.pop() : DecoderCheckpoint.ALL.flag());
        }
    }

    /**
     * Refuses an unknown value given attached ({@code --checkpoint-decoder=most}), which would otherwise be left for
     * the next parameter, e.g. taken for the prompt. A separate unknown word stays what it is (see above).
     */
    static final class CheckpointAttached implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
            boolean attached = !String.valueOf(info.getOrDefault("separator", " ")).isBlank(); // " " when separate
            if (attached && !args.isEmpty()) {
                try {
                    DecoderCheckpoint.parse(args.peek());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(commandSpec.commandLine(), "--checkpoint-decoder: " + e.getMessage());
                }
            }
            return false;
        }
    }

    /** How each optimizer step trades compute for memory, from --clip-batch and --checkpoint-decoder. */
    MemoryPlan memoryPlan() {
        return new MemoryPlan(clipBatch, checkpointDecoder);
    }

    /** A repository that resolves names through the catalog (downloading with a progress bar on {@code err}). */
    ModelRepository repository(PrintWriter err) {
        return config().repository(err);
    }

    EngineConfig config() {
        return new EngineConfig(modelsDir, device, memoryPlan());
    }
}
