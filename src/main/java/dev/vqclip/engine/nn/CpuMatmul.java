package dev.vqclip.engine.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which libtorch kernel runs a float32 {@link Linear} on the CPU: MKL's sgemm ({@code linear}) or oneDNN's 1×1
 * convolution. MKL runs its AVX2 path on AMD CPUs even where they have AVX-512, oneDNN uses AVX-512 there; with AVX2
 * only, sgemm is the faster. 2 threads, DJL 0.35.1 / libtorch 2.7.1: on an AMD EPYC Zen 5 (AVX-512) VM CLIP's c_fc at
 * 1600 rows took 72 ms forward + input gradient by sgemm and 44 by convolution; on a Zen 3 (AVX2) VM the whole
 * 256x256/32 step took 7.90 s/iter with sgemm and 8.08 with the convolution (docs/configuration.md).
 */
public enum CpuMatmul {
    GEMM("gemm"), CONV1X1("conv1x1");

    /** System property that overrides the choice: {@code gemm}, {@code conv1x1} or {@code auto} (the default). */
    public static final String PROPERTY = "vqclip.cpu.matmul";
    private static final CpuMatmul CURRENT = fromSetting(System.getProperty(PROPERTY), Path.of("/proc/cpuinfo"));

    private final String flag;

    CpuMatmul(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    /** The route of this process, chosen once. */
    public static CpuMatmul current() {
        return CURRENT;
    }

    static CpuMatmul fromSetting(String setting, Path cpuinfo) {
        String v = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return detect(cpuinfo);
        }
        for (CpuMatmul m : values()) {
            if (m.flag.equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be auto, " + Arrays.stream(values()).map(CpuMatmul::flag)
                .collect(Collectors.joining(" or ")) + ", got '" + setting + "'");
    }

    /** The 1×1 convolution on AMD CPUs with AVX-512, sgemm elsewhere and where the CPU cannot be read. */
    static CpuMatmul detect(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | SecurityException e) {
            return GEMM;
        }
        boolean amd = lines.stream().anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
        boolean avx512 = lines.stream().filter(l -> l.startsWith("flags"))
                .anyMatch(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).contains("avx512f"));
        return amd && avx512 ? CONV1X1 : GEMM;
    }
}
