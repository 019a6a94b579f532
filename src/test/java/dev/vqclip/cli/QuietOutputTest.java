package dev.vqclip.cli;

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
