package dev.vqclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vqclip.engine.Devices;
import dev.vqclip.engine.RealArchitectures;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.optimize.LoopBenchmark;
import dev.vqclip.engine.vqgan.Vqgan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The optimizer loop at the real model sizes (VQGAN f16-16384 + CLIP ViT-B/32, random weights, so nothing is
 * downloaded), timed like the upstream loop in shared/refbench.md. Prints one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the optimizer loop at real model sizes with random weights; prints one JSON line.")
final class BenchCommand implements Callable<Integer> {
    /** Upstream PyTorch 1.13 on this machine kind, 2 threads, OpenBLAS (refbench.md): size/cutn -> s/iter, peak RSS MiB. */
    private static final Map<String, double[]> REFERENCE = Map.of(
            "128x128/16", new double[] {2.20, 2583},
            "128x128/32", new double[] {4.40, 3597},
            "256x256/16", new double[] {5.56, 3709},
            "256x256/32", new double[] {6.48, 4808});

    @Option(names = "--size", defaultValue = "128x128", paramLabel = "WxH", description = "default ${DEFAULT-VALUE}")
    String size;

    @Option(names = "--cutn", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int cutn;

    @Option(names = "--cut-method", defaultValue = "original", description = "original (as refbench) or latest; default ${DEFAULT-VALUE}")
    String cutMethod;

    @Option(names = {"-i", "--iterations"}, defaultValue = "5", description = "measured iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured warm-up iterations (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws IOException {
        int[] wh = ImagineCommand.parseSize(size);
        var dev = Devices.parse(device);
        long t0 = System.nanoTime();
        try (Vqgan vqgan = Vqgan.randomInit(RealArchitectures.VQGAN_F16_16384, dev, seed);
             ClipModel clip = ClipModel.randomInit(RealArchitectures.CLIP_VIT_B32, dev, seed + 1)) {
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            long rssAfterBuild = rssMiB("VmRSS");
            LoopBenchmark.Result r = LoopBenchmark.run(vqgan, clip, wh[0], wh[1], cutn, cutMethod, warmup, iterations, seed);
            ObjectMapper json = new ObjectMapper();
            ObjectNode o = json.createObjectNode();
            o.put("size", wh[0] + "x" + wh[1]).put("cutn", cutn).put("cut_method", cutMethod).put("device", device)
                    .put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"))
                    .put("warmup", warmup).put("iterations", iterations)
                    .put("median_s_per_iter", round(r.medianSeconds()));
            ObjectNode phases = o.putObject("phase_medians_s");
            r.phaseMedians().forEach((k, v) -> phases.put(k, round(v)));
            o.put("build_s", round(buildSeconds)).put("rss_after_build_mib", rssAfterBuild).put("peak_rss_mib", rssMiB("VmHWM"));
            double[] ref = REFERENCE.get(wh[0] + "x" + wh[1] + "/" + cutn);
            if (ref != null && device.equals("cpu") && cutMethod.equals("original")) {
                o.put("reference_s_per_iter", ref[0]).put("ratio_time", round(r.medianSeconds() / ref[0]))
                        .put("reference_peak_rss_mib", ref[1]).put("ratio_rss", round(rssMiB("VmHWM") / ref[1]));
            }
            System.out.println(json.writeValueAsString(o));
            return 0;
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
