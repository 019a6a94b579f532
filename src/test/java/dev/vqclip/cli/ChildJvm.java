package dev.vqclip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code vqclip} subcommands in their own JVMs, so tests can kill them for real (SIGKILL). */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** @param jvmOptions extra JVM options, e.g. {@code -Dvqclip.test.halt-on-prompt=poison} */
    static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }
}
