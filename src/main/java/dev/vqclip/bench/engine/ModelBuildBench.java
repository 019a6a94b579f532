package dev.vqclip.bench.engine;

import dev.vqclip.engine.RealArchitectures;
import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.VqganConfigs;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.vqgan.VqganConfig;
import dev.vqclip.engine.weights.ModelFiles;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Measures model construction: loading the tiny fixture models, and building the real-size VQGAN f16-16384 and
 * CLIP ViT-B/32 with random weights (time, peak RSS), plus one small forward of each real model.
 * Usage: {@code vqclip model-bench [fixturesDir]} (default src/test/resources/fixtures).
 */
public final class ModelBuildBench {
    private ModelBuildBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures");
        Device cpu = Device.cpu();
        try (NDManager warm = NDManager.newBaseManager(cpu)) {
            warm.ones(new Shape(1)).sum(); // engine start is not model construction
        }
        report("engine started", 0);

        StateDict vqW = SafetensorsReader.read(dir.resolve("vqgan_tiny.weights.safetensors"));
        StateDict clipW = SafetensorsReader.read(dir.resolve("clip_tiny.weights.safetensors"));
        time("load tiny VQGAN", () -> Vqgan.load(vqW, VqganConfigs.fromMetadataJson(vqW.metadata().get("config")), cpu))
                .close();
        time("load tiny CLIP", () -> ClipModel.load(clipW, ClipConfigs.fromMetadataJson(clipW.metadata().get("config")),
                cpu)).close();

        for (String file : new String[] {"vqgan_tiny.ckpt", "vqgan_tiny_net2net.ckpt", "clip_tiny_jit.pt"}) {
            Path p = dir.resolve(file);
            if (Files.isRegularFile(p)) {
                time("read " + file, () -> ModelFiles.readStateDict(p));
            }
        }
        VqganConfig vqReal = RealArchitectures.VQGAN_F16_16384;
        ClipConfig clipReal = RealArchitectures.CLIP_VIT_B32;
        try (Vqgan vqgan = time("randomInit VQGAN f16-16384", () -> Vqgan.randomInit(vqReal, cpu, 1));
             ClipModel clip = time("randomInit CLIP ViT-B/32", () -> ClipModel.randomInit(clipReal, cpu, 1));
             NDManager m = NDManager.newBaseManager(cpu)) {
            NDArray z = m.randomNormal(0, 0.2f, new Shape(1, 256, 16, 16), DataType.FLOAT32);
            time("VQGAN decode 16x16 latent -> 256x256", () -> vqgan.decode(z));
            NDArray pixels = m.randomNormal(new Shape(8, 3, 224, 224));
            time("CLIP encodeImage 8x224x224", () -> clip.encodeImage(pixels));
        }
    }

    private static <T> T time(String what, Supplier<T> action) {
        long t0 = System.nanoTime();
        T result = action.get();
        report(what, (System.nanoTime() - t0) / 1e6);
        return result;
    }

    private static void report(String what, double ms) {
        System.out.printf(Locale.ROOT, "%-40s %9.1f ms   peak RSS %s%n", what, ms, peakRss());
    }

    /** VmHWM from /proc/self/status (Linux), the process's peak resident set. */
    private static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }
}
