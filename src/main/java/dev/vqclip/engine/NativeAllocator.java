package dev.vqclip.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The malloc that libtorch's CPU tensors come from in this process: jemalloc when the launcher preloaded it
 * ({@code VQCLIP_ALLOCATOR}), else the C library's. Peak memory and step time depend on it, so the engine report and
 * the benchmarks name it.
 */
public final class NativeAllocator {
    private NativeAllocator() {
    }

    /** "jemalloc", "glibc", or "unknown" where the process's mappings cannot be read (not Linux). */
    public static String name() {
        return fromMaps(Path.of("/proc/self/maps"));
    }

    static String fromMaps(Path maps) {
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(l -> l.contains("/libjemalloc.so")) ? "jemalloc" : "glibc";
        } catch (IOException | SecurityException e) {
            return "unknown";
        }
    }
}
