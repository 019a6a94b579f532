package dev.vqclip.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CpuMatmulTest {
    @TempDir
    Path dir;

    private Path cpuinfo(String vendor, String flags) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor
                + "\ncpu family\t: 26\nflags\t\t: " + flags + "\n\nprocessor\t: 1\nvendor_id\t: " + vendor + "\n");
    }

    @Test
    void anAmdCpuWithAvx512TakesTheConvolution() throws IOException {
        assertEquals(CpuMatmul.CONV1X1, CpuMatmul.detect(cpuinfo("AuthenticAMD", "fpu avx2 avx512f avx512bw fma")));
    }

    @Test
    void anAmdCpuWithOnlyAvx2TakesSgemm() throws IOException {
        assertEquals(CpuMatmul.GEMM, CpuMatmul.detect(cpuinfo("AuthenticAMD", "fpu avx2 fma avx512_fake_suffix")));
    }

    @Test
    void anIntelCpuTakesSgemmEvenWithAvx512() throws IOException {
        assertEquals(CpuMatmul.GEMM, CpuMatmul.detect(cpuinfo("GenuineIntel", "fpu avx2 avx512f fma")));
    }

    @Test
    void anUnreadableCpuTakesSgemm() {
        assertEquals(CpuMatmul.GEMM, CpuMatmul.detect(dir.resolve("missing")));
    }

    @Test
    void aGivenRouteWinsOverDetection() throws IOException {
        Path amd512 = cpuinfo("AuthenticAMD", "avx512f");
        assertEquals(CpuMatmul.GEMM, CpuMatmul.fromSetting(" GEMM ", amd512));
        assertEquals(CpuMatmul.CONV1X1, CpuMatmul.fromSetting("conv1x1", dir.resolve("missing")));
        assertEquals(CpuMatmul.CONV1X1, CpuMatmul.fromSetting(null, amd512));
        assertEquals(CpuMatmul.CONV1X1, CpuMatmul.fromSetting("auto", amd512));
    }

    @Test
    void anUnknownRouteIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuMatmul.fromSetting("blas", dir.resolve("missing")));
        assertTrue(e.getMessage().contains("vqclip.cpu.matmul must be auto, gemm or conv1x1, got 'blas'"), e.getMessage());
    }
}
