package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's engine settings ({@code VQCLIP_ALLOCATOR}, {@code VQCLIP_MATMUL}), as the started JVM reports them. */
class LauncherEngineSettingsTest {
    private record Run(int exit, String output) {
    }

    /** {@code vqclip engine-info} through the launcher on this build's classes, with {@code allocator} (null: unset). */
    private static Run engineInfo(String allocator) throws IOException, InterruptedException {
        return engineInfo("VQCLIP_ALLOCATOR", allocator);
    }

    /** {@code vqclip engine-info} with the environment variable {@code name} set to {@code value} (null: unset). */
    private static Run engineInfo(String name, String value) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "vqclip", "engine-info").redirectErrorStream(true);
        pb.environment().put("VQCLIP_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("VQCLIP_JAVA_OPTS", "-Xmx512m");
        pb.environment().put("VQCLIP_THREADS", "1");
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("MALLOC_CONF");
        pb.environment().remove("VQCLIP_ALLOCATOR");
        pb.environment().remove("VQCLIP_MATMUL");
        if (value != null) {
            pb.environment().put(name, value);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "engine-info finished");
        return new Run(p.exitValue(), out);
    }

    private static final String MISSING = "libjemalloc.so.2 is not installed";

    @Test
    void byDefaultTheEngineAllocatesThroughJemallocWhereItIsInstalled() throws Exception {
        Run required = engineInfo("jemalloc");
        assumeTrue(!required.output().contains(MISSING), "libjemalloc2 is not installed (scripts/test.sh installs it as root)");
        Run r = engineInfo(null);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("allocator=jemalloc"), r.output());
    }

    @Test
    void glibcCanBeChosen() throws Exception {
        Run r = engineInfo("glibc");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("allocator=glibc"), r.output());
    }

    @Test
    void jemallocCanBeRequiredAndIsRefusedWhereMissing() throws Exception {
        Run r = engineInfo("jemalloc");
        boolean used = r.exit() == 0 && r.output().contains("allocator=jemalloc");
        boolean refused = r.exit() == 2 && r.output().contains(MISSING);
        assertTrue(used || refused, r.output());
    }

    @Test
    void anUnknownAllocatorIsRefusedByName() throws Exception {
        Run r = engineInfo("tcmalloc");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("VQCLIP_ALLOCATOR must be auto, jemalloc or glibc, got 'tcmalloc'"), r.output());
    }

    @Test
    void theMatmulKernelCanBeChosen() throws Exception {
        for (String route : new String[] {"gemm", "conv1x1"}) {
            Run r = engineInfo("VQCLIP_MATMUL", route);
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("matmul=" + route), r.output());
        }
    }

    @Test
    void anUnknownMatmulKernelIsRefusedByName() throws Exception {
        Run r = engineInfo("VQCLIP_MATMUL", "blas");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("VQCLIP_MATMUL must be auto, gemm or conv1x1, got 'blas'"), r.output());
    }
}
