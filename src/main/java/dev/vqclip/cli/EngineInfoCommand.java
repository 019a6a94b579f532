package dev.vqclip.cli;

import dev.vqclip.engine.Devices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Starts the tensor engine once and prints what it found (also pre-warms the native cache in the Docker image). */
@Command(name = "engine-info", description = "Start the tensor engine and print its version, GPUs and threads.")
final class EngineInfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Devices.describe());
        return 0;
    }
}
