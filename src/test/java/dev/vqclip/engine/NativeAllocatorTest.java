package dev.vqclip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeAllocatorTest {
    @TempDir
    Path dir;

    @Test
    void aMappedJemallocIsNamed() throws Exception {
        Path maps = Files.writeString(dir.resolve("maps"), """
                7f0000000000-7f0000001000 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6
                7f0000002000-7f0000003000 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2
                """);
        assertEquals("jemalloc", NativeAllocator.fromMaps(maps));
    }

    @Test
    void withoutJemallocItIsGlibc() throws Exception {
        Path maps = Files.writeString(dir.resolve("maps"),
                "7f0000000000-7f0000001000 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
        assertEquals("glibc", NativeAllocator.fromMaps(maps));
    }

    @Test
    void unreadableMappingsAreUnknown() {
        assertEquals("unknown", NativeAllocator.fromMaps(dir.resolve("absent")));
    }
}
