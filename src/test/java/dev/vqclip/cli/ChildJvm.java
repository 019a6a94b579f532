package dev.vqclip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code vqclip} subcommands in their own JVMs, so tests can kill them for real (SIGKILL). */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * JVM options that log every delivery (FolderDelivery at INFO; the test classpath logs WARN and up otherwise), so
     * a test can count how often each job was delivered.
     */
    static List<String> loggingDeliveries(Path dir) throws IOException {
        Path config = dir.resolve("logback-deliveries.xml");
        java.nio.file.Files.writeString(config, "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                + "<target>System.err</target><encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern>"
                + "</encoder></appender><logger name=\"dev.vqclip.job.FolderDelivery\" level=\"INFO\"/>"
                + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
        return List.of("-Dlogback.configurationFile=" + config);
    }

    /** How many times each job was delivered, from the "delivered job N to" lines of a log. */
    static java.util.Map<Long, Long> deliveries(Path log) throws IOException {
        return java.nio.file.Files.readString(log).lines().filter(l -> l.contains("delivered job "))
                .map(l -> Long.parseLong(l.replaceAll(".*delivered job (\\d+) to.*", "$1")))
                .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
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
