package dev.vqclip.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import dev.vqclip.engine.vqgan.VqganConfig;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The largest render size, by memory: before anything is allocated, the working memory of one optimizer step is
 * estimated from the VQGAN's decoder (the activations every level keeps for backward, and the attention matrices,
 * which grow with the square of the number of cells they attend over) and refused when it exceeds the device's
 * memory. The estimate is deliberately rough (within a small factor): its job is to stop sizes that cannot run
 * (the tiny test VQGAN at 2048x2048 attends over 262,144 cells: a 256 GiB matrix) with a clear message.
 */
public final class RenderMemory {
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Tensors alive per decoder block and element for backward (convolutions, norms, activations, their grads). */
    private static final int TENSORS_PER_BLOCK = 10;
    /** Attention score matrices kept per attention block (scores, softmax and their gradients). */
    private static final int MATRICES_PER_ATTENTION = 4;

    private RenderMemory() {
    }

    /** Bytes one step of the VQGAN drawer needs at {@code width x height} (both multiples of the factor). */
    public static long decoderBytes(VqganConfig c, int width, int height) {
        int levels = c.levels();
        double cells = (double) (width / c.factor()) * (height / c.factor());
        double bytes = 0;
        double blocks = c.numResBlocks() + 1;
        // mid block: two ResnetBlocks and one attention at the latent resolution
        int top = c.ch() * c.chMult().get(levels - 1);
        bytes += 2 * top * cells * TENSORS_PER_BLOCK * 4.0 + MATRICES_PER_ATTENTION * cells * cells * 4.0;
        for (int i = levels - 1; i >= 0; i--) {
            double levelCells = cells * Math.pow(4, levels - 1 - i);
            int channels = c.ch() * c.chMult().get(i);
            bytes += blocks * channels * levelCells * TENSORS_PER_BLOCK * 4.0;
            if (c.attnResolutions().contains(c.resolution() >> i)) {
                bytes += blocks * MATRICES_PER_ATTENTION * levelCells * levelCells * 4.0;
            }
        }
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /** The memory a render on {@code device} may use: the GPU's memory, or the machine's for the CPU. */
    public static long limitFor(Device device) {
        if (device.isGpu()) {
            try {
                return CudaUtils.getGpuMemory(device).getMax();
            } catch (RuntimeException | LinkageError e) {
                // no CUDA runtime to ask: fall through to the machine's memory
            }
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * @throws RenderException naming the size asked for, the estimate, the limit and a size that fits
     */
    public static void require(VqganConfig c, int width, int height, long limit) {
        long need = decoderBytes(c, width, height);
        if (need <= limit) {
            return;
        }
        int f = c.factor();
        double scale = 1.0;
        int w = width;
        int h = height;
        while ((w > f || h > f) && decoderBytes(c, w, h) > limit) {
            scale *= 0.9;
            w = Math.max(f, (int) (width * scale) / f * f);
            h = Math.max(f, (int) (height * scale) / f * f);
        }
        throw new RenderException(String.format(Locale.ROOT,
                "size %dx%d needs about %.1f GiB per optimizer step (VQGAN decoder activations and attention over %d "
                        + "latent cells); the limit is %.1f GiB (this device's memory): ask for %dx%d or less",
                width, height, need / GIB, (long) (width / f) * (height / f), limit / GIB, w, h));
    }
}
