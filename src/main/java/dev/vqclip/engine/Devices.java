package dev.vqclip.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.vqclip.engine.nn.CpuMatmul;
import java.util.Locale;

/** Chooses the compute device from a user's "cpu" / "gpu" / "gpu:N" and describes the engine. */
public final class Devices {
    private Devices() {
    }

    /** Parses a device name; "gpu" when no GPU exists is an error that says so. */
    public static Device parse(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            int count = Engine.getInstance().getGpuCount();
            if (id >= count) {
                throw new IllegalArgumentException("device '" + name + "' requested but libtorch sees " + count
                        + " GPU(s) (for CUDA set PYTORCH_FLAVOR=cu128, see docs/gpu.md)");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device must be 'cpu', 'gpu' or 'gpu:N', got '" + name + "'");
    }

    public static boolean gpuAvailable() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    /** One line about the engine: name, libtorch version, GPUs, threads. */
    public static String describe() {
        Engine e = Engine.getInstance();
        return "engine=" + e.getEngineName() + " libtorch=" + e.getVersion() + " gpus=" + e.getGpuCount()
                + " threads=" + System.getProperty("ai.djl.pytorch.num_threads", "default")
                + " allocator=" + NativeAllocator.name() + " matmul=" + CpuMatmul.current().flag();
    }
}
