package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees on stderr in ordinary runs: no warnings that are not theirs to act on. */
class QuietOutputTest {
    private static final Path MAIN_LOGBACK = Path.of("src/main/resources/logback.xml");

    @TempDir
    Path dir;

    /** {@code vqclip ARGS} in its own JVM with the product's logging configuration (not the tests'). */
    private static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dlogback.configurationFile=" + MAIN_LOGBACK.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aCpuRunSaysNothingAboutCuda() throws Exception {
        Path log = dir.resolve("engine-info.log");
        Process p = start(log, "engine-info");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "engine-info finished");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("CUDA"), "no CUDA warning on a CPU run: " + out);
        assertFalse(out.contains("WARN"), out);
    }

    /**
     * A render through the launcher with its stderr in a file: no NNPACK line. The cutouts go to CLIP all at once
     * (32 of them), the case in which libtorch asks NNPACK and, on a CPU NNPACK does not support, logs per call.
     */
    @Test
    void aRenderThroughTheLauncherLogsNoNnpackLine() throws Exception {
        Path log = dir.resolve("imagine.log");
        ProcessBuilder pb = new ProcessBuilder("bash", "vqclip", "imagine", "fog", "--models-dir", dir.resolve("models").toString(),
                "--vqgan", Path.of(TinyModels.VQGAN).toAbsolutePath().toString(),
                "--clip", Path.of(TinyModels.CLIP).toAbsolutePath().toString(), "--size", "64x48", "--iterations", "2",
                "--cutn", "32", "--clip-batch", "0", "--seed", "1", "--out", dir.resolve("o.png").toString());
        pb.environment().put("VQCLIP_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("VQCLIP_JAVA_OPTS", "-Xmx1g -Dlogback.configurationFile=" + MAIN_LOGBACK.toAbsolutePath());
        pb.environment().put("VQCLIP_THREADS", "1");
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "imagine finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        Thread.sleep(500); // the stderr filter may still be writing its last bytes after java exited
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("2/2")), "the log is the render's: " + lines);
        assertEquals(0, lines.stream().filter(l -> l.contains("NNPACK")).count(), String.join("\n", lines));
    }

    /** The filter the launcher and the Docker image put on stderr drops libtorch's NNPACK line and nothing else. */
    @Test
    void theStderrFilterDropsTheNnpackLineAndKeepsEverythingElse() throws Exception {
        String nnpack = "[W1207 03:40:00.123456789 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.\n";
        String kept = "[W1207 03:40:00.1 Other.cpp:1] another libtorch warning\n12:00:00.000 WARN  worker - a warning of ours\n";
        Process p = new ProcessBuilder("perl", "scripts/quiet-nnpack.pl").start();
        try (var in = p.getOutputStream()) {
            in.write((nnpack + kept + nnpack + nnpack + "[##....] 1/2 loss 1.0\r").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(kept + "[##....] 1/2 loss 1.0\r", out);
    }

    @Test
    void serveStopsOnSigtermWithoutWarnings() throws Exception {
        serveThenSigterm("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    }

    /**
     * The default database lets other commands in while serve runs (AUTO_SERVER), which makes H2 close it from its
     * own shutdown hook; whether that hook beat serve's shutdown was a race, so serve is stopped a few times.
     */
    @Test
    void serveWithTheDefaultStyleDatabaseStopsOnSigtermWithoutWarnings() throws Exception {
        for (int run = 1; run <= 4; run++) {
            serveThenSigterm("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";AUTO_SERVER=TRUE", run);
        }
    }

    private void serveThenSigterm(String dbUrl) throws Exception {
        serveThenSigterm(dbUrl, 1);
    }

    private void serveThenSigterm(String dbUrl, int run) throws Exception {
        Path log = dir.resolve("serve-" + run + ".log");
        Process p = start(log, "serve", "--db", dbUrl, "--results-dir",
                dir.resolve("results").toString(), "--models-dir", dir.resolve("models").toString(), "--poll", "200ms", "--web-port", "0");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("serving:")) {
                assertTrue(p.isAlive(), "serve died: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "serve did not start: " + Files.readString(log));
                Thread.sleep(200);
            }
            Thread.sleep(1000); // the worker and watcher are polling the database
        } finally {
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve stopped");
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "serve stopped by its own orderly stop, not by the JVM's default: " + out);
        assertFalse(out.contains("already closed"), "run " + run + ": " + out);
        assertFalse(out.contains("WARN") || out.contains("ERROR") || out.contains("Exception"), out);
    }
}
