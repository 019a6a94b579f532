package dev.vqclip.cli;

import dev.vqclip.bench.engine.LoopBenchmark;
import dev.vqclip.bench.engine.StepTrace;
import dev.vqclip.bench.engine.BatchBenchmark;
import dev.vqclip.bench.engine.DecoderProfile;
import dev.vqclip.bench.engine.OpProfile;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vqclip.engine.Devices;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.NativeAllocator;
import dev.vqclip.engine.nn.CpuMatmul;
import dev.vqclip.engine.RealArchitectures;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import dev.vqclip.engine.vqgan.Vqgan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The optimizer loop at the real model sizes (VQGAN f16-16384 + CLIP ViT-B/32, random weights, so nothing is
 * downloaded), timed like the upstream loop of scripts/refbench/upstream_bench.py (scripts/bench-vs-upstream.sh runs
 * both side by side). Prints one JSON line. With {@code --vqgan} and
 * {@code --clip} it times those model files instead; with {@code --batch 1,2,4} it times B jobs per batched step
 * and prints a table of throughput against B = 1.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the optimizer loop at real model sizes with random weights (or the given model files); "
                + "prints one JSON line, or with --batch a table of batched throughput.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "128x128", paramLabel = "WxH", description = "default ${DEFAULT-VALUE}")
    String size;

    @Option(names = "--cutn", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int cutn;

    @Option(names = "--cut-method", defaultValue = "original", description = "original (as refbench) or latest; default ${DEFAULT-VALUE}")
    String cutMethod;

    @Option(names = {"-i", "--iterations"}, defaultValue = "5", description = "measured iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--clip-batch", defaultValue = "8", paramLabel = "N",
            description = "cutouts per CLIP pass, 0 = all at once (default ${DEFAULT-VALUE})")
    int clipBatch;

    private DecoderCheckpoint checkpointDecoder = MemoryPlan.DEFAULT.checkpointDecoder();

    @Option(names = "--checkpoint-decoder", parameterConsumer = EngineOptions.CheckpointValue.class,
            preprocessor = EngineOptions.CheckpointAttached.class, paramLabel = "[WHICH]",
            description = "what the decoder recomputes during backward: norms (default), all (the flag alone) or none")
    void checkpointDecoder(String which) {
        checkpointDecoder = DecoderCheckpoint.parse(which);
    }

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured warm-up iterations (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--batch", split = ",", paramLabel = "B[,B...]",
            description = "time B jobs per batched step for each B given (e.g. 1,2,4) and print throughput vs B=1")
    List<Integer> batches;

    @Option(names = "--job-iterations", defaultValue = "300", paramLabel = "N",
            description = "with --batch: iterations per job for the images/hour column (default ${DEFAULT-VALUE})")
    int jobIterations;

    @Option(names = "--profile-decoder",
            description = "time each VQGAN decoder stage alone (forward with the graph, then backward), --iterations repeats; "
                    + "prints one JSON line")
    boolean profileDecoder;

    @Option(names = "--profile-ops",
            description = "time the decoder's building blocks at 128 channels on a WxH input, and their alternatives "
                    + "(channels-last conv, unpadded conv_out, upsampling by repeat), --iterations repeats; prints one JSON line")
    boolean profileOps;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "after the measured steps, run one more under libtorch's profiler, write its chrome trace to FILE "
                    + "and add to the JSON the operators' self times and the matrix products' and convolutions' GFLOP/s")
    Path trace;

    @Option(names = "--vqgan", paramLabel = "FILE", description = "a VQGAN model file instead of the random real-size one")
    Path vqganFile;

    @Option(names = "--clip", paramLabel = "FILE", description = "a CLIP model file instead of the random real-size one")
    Path clipFile;

    @Override
    public Integer call() throws IOException {
        if ((vqganFile == null) != (clipFile == null)) {
            throw new ParameterException(spec.commandLine(), "--vqgan and --clip go together: give both model files or neither");
        }
        if (clipBatch < 0) {
            throw new ParameterException(spec.commandLine(), "--clip-batch must be >= 0 (0 = all cutouts at once), got " + clipBatch);
        }
        if (jobIterations < 1) {
            throw new ParameterException(spec.commandLine(), "--job-iterations must be >= 1, got " + jobIterations);
        }
        if (batches != null && batches.stream().anyMatch(b -> b < 1)) {
            throw new ParameterException(spec.commandLine(), "--batch sizes must be >= 1, got " + batches);
        }
        int[] wh = ImagineCommand.parseSize(size);
        var dev = Devices.parse(device);
        if (profileOps) {
            return opProfile(OpProfile.run(dev, wh[0], wh[1], iterations, seed), wh);
        }
        long t0 = System.nanoTime();
        if (vqganFile != null) {
            try (ModelRepository files = new ModelRepository(null, dev)) {
                Vqgan vqgan = files.vqgan(vqganFile.toString()).model();
                ClipModel clip = files.clip(clipFile.toString()).model();
                return bench(vqgan, clip, wh, (System.nanoTime() - t0) / 1e9, false);
            }
        }
        try (Vqgan vqgan = Vqgan.randomInit(RealArchitectures.VQGAN_F16_16384, dev, seed);
             ClipModel clip = ClipModel.randomInit(RealArchitectures.CLIP_VIT_B32, dev, seed + 1)) {
            return bench(vqgan, clip, wh, (System.nanoTime() - t0) / 1e9, true);
        }
    }

    private int bench(Vqgan vqgan, ClipModel clip, int[] wh, double buildSeconds, boolean realSize) throws IOException {
        if (batches != null) {
            return batchTable(vqgan, clip, wh, realSize);
        }
        if (profileDecoder) {
            return decoderProfile(vqgan, wh);
        }
        long rssAfterBuild = rssMiB("VmRSS");
        LoopBenchmark.Result r = LoopBenchmark.run(vqgan, clip, wh[0], wh[1], cutn, cutMethod, new MemoryPlan(clipBatch, checkpointDecoder), warmup, iterations,
                seed, trace);
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("size", wh[0] + "x" + wh[1]).put("cutn", cutn).put("cut_method", cutMethod).put("clip_batch", clipBatch).put("checkpoint_decoder", checkpointDecoder.flag()).put("device", device)
                .setAll(engineFields(json));
        o.put("warmup", warmup).put("iterations", iterations)
                .put("median_s_per_iter", round(r.medianSeconds()));
        ObjectNode phases = o.putObject("phase_medians_s");
        r.phaseMedians().forEach((k, v) -> phases.put(k, round(v)));
        o.put("build_s", round(buildSeconds)).put("rss_after_build_mib", rssAfterBuild).put("peak_rss_mib", rssMiB("VmHWM"));
        if (r.trace() != null) {
            traceJson(o.putObject("trace"), r.trace());
        }
        spec.commandLine().getOut().println(json.writeValueAsString(o));
        return 0;
    }

    private void traceJson(ObjectNode o, StepTrace t) {
        o.put("file", trace.toString()).put("step_ms", round(t.stepMs())).put("self_ms", round(t.selfMs()));
        ArrayNode kernels = o.putArray("kernels");
        for (StepTrace.Kernel k : t.kernels()) {
            kernels.addObject().put("kernels", k.name()).put("gflop", round(k.gflop())).put("ms", round(k.ms()))
                    .put("gflop_per_s", round(k.gflopPerSecond()));
        }
        o.put("arithmetic_floor_s", round(t.floorSeconds()));
        ArrayNode ops = o.putArray("top_ops");
        for (StepTrace.Op op : t.ops().subList(0, Math.min(15, t.ops().size()))) {
            ops.addObject().put("op", op.name()).put("calls", op.calls()).put("self_ms", round(op.selfMs()));
        }
    }

    /** Threads, native allocator and matmul route: what a figure depends on besides the code. */
    private static ObjectNode engineFields(ObjectMapper json) {
        return json.createObjectNode().put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"))
                .put("allocator", NativeAllocator.name()).put("matmul", CpuMatmul.current().flag());
    }

    private int opProfile(List<OpProfile.Row> rows, int[] wh) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("impl", "vqclip").put("size", wh[0] + "x" + wh[1]).put("channels", 128).put("device", device)
                .put("repeats", iterations).setAll(engineFields(json));
        ArrayNode ops = o.putArray("ops");
        for (OpProfile.Row r : rows) {
            ops.addObject().put("op", r.op()).put("forward_ms", round(r.forwardMs())).put("backward_ms", round(r.backwardMs()));
        }
        spec.commandLine().getOut().println(json.writeValueAsString(o));
        return 0;
    }

    private int decoderProfile(Vqgan vqgan, int[] wh) throws IOException {
        List<DecoderProfile.Row> rows = DecoderProfile.run(vqgan, wh[0], wh[1], iterations, seed);
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("impl", "vqclip").put("size", wh[0] + "x" + wh[1]).put("device", device)
                .put("repeats", iterations).setAll(engineFields(json));
        ArrayNode stages = o.putArray("stages");
        double forward = 0;
        double backward = 0;
        for (DecoderProfile.Row r : rows) {
            ObjectNode st = stages.addObject().put("stage", r.stage()).put("shape", r.output());
            st.put("forward_ms", round(r.forwardMs())).put("backward_ms", round(r.backwardMs()));
            forward += r.forwardMs();
            backward += r.backwardMs();
        }
        o.put("forward_ms", round(forward)).put("backward_ms", round(backward)).put("peak_rss_mib", rssMiB("VmHWM"));
        spec.commandLine().getOut().println(json.writeValueAsString(o));
        return 0;
    }

    /**
     * One row per batch size: median and fastest seconds per batched step, job-iterations per second (B per median
     * step), the gain over the first row's throughput, images per hour for jobs of {@code --job-iterations} steps and
     * the peak RSS while that batch ran (the kernel's high-water mark is reset before each row where Linux allows it,
     * else it is the peak so far). Every row runs with the single path's memory plan.
     */
    private int batchTable(Vqgan vqgan, ClipModel clip, int[] wh, boolean realSize) {
        PrintWriter out = spec.commandLine().getOut();
        MemoryPlan memory = new MemoryPlan(clipBatch, checkpointDecoder);
        out.printf("%s models, %dx%d, cutn %d, cut method %s, %s, threads %s, %s allocator, clip batch %d, checkpoint decoder %s, "
                        + "%d warm-up + %d measured steps, images/hour for %d-iteration jobs%n",
                realSize ? "real-size random-weight" : "given", wh[0], wh[1], cutn, cutMethod, device,
                System.getProperty("ai.djl.pytorch.num_threads", "default"), NativeAllocator.name(), clipBatch,
                checkpointDecoder.flag(), warmup,
                iterations, jobIterations);
        out.printf("%5s %10s %10s %12s %12s %12s %14s%n", "B", "s/step", "min s/step", "job-iter/s", "gain vs B=" + batches.get(0),
                "images/hour", "peak RSS MiB");
        double base = Double.NaN;
        for (int b : batches) {
            boolean reset = resetPeakRss();
            BatchBenchmark.Result r = BatchBenchmark.run(vqgan, clip, wh[0], wh[1], cutn, cutMethod, memory, b, warmup,
                    iterations, seed);
            double throughput = r.jobIterationsPerSecond();
            if (Double.isNaN(base)) {
                base = throughput;
            }
            out.printf("%5d %10.3f %10.3f %12.3f %12.2f %12.1f %14s%n", b, r.medianSecondsPerStep(), r.minSecondsPerStep(),
                    throughput, throughput / base, throughput * 3600 / jobIterations,
                    rssMiB("VmHWM") + (reset ? "" : " (so far)"));
            out.flush();
        }
        return 0;
    }

    /** Resets this process's peak RSS (VmHWM) by writing 5 to /proc/self/clear_refs (Linux); false where not allowed. */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A field of /proc/self/status in MiB (Linux); -1 elsewhere. */
    static long rssMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
