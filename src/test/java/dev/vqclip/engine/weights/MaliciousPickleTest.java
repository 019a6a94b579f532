package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pickles that would run code under Python's unpickler must be refused, and must run nothing here. */
class MaliciousPickleTest {

    @Test
    void evilCkptIsRefusedNamingPosixSystem() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> TorchCheckpoint.read(Fixtures.file("evil.ckpt")));
        assertTrue(e.getMessage().startsWith("refusing to load evil.ckpt: pickle global 'posix.system' is not allowed"),
                e.getMessage());
        WeightsException viaEntryPoint = assertThrows(WeightsException.class,
                () -> ModelFiles.readStateDict(Fixtures.file("evil.ckpt")));
        assertEquals(e.getMessage(), viaEntryPoint.getMessage());
    }

    /** A harmless tensor first (so a check of the pickle's start is not enough), then {@code global(argument)}. */
    private static Path payloadCheckpoint(Path dir, String module, String name, PickleBytes argument)
            throws IOException {
        PickleBytes p = PickleBytes.proto2().emptyDict().mark()
                .str("weight").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("payload").global(module, name);
        byte[] arg = argument.bytes();
        byte[] head = p.bytes();
        byte[] pickle = new byte[head.length + arg.length + 4];
        System.arraycopy(head, 0, pickle, 0, head.length);
        System.arraycopy(arg, 0, pickle, head.length, arg.length);
        pickle[head.length + arg.length] = (byte) 0x85; // TUPLE1
        pickle[head.length + arg.length + 1] = 'R'; // REDUCE
        pickle[head.length + arg.length + 2] = 'u'; // SETITEMS
        pickle[head.length + arg.length + 3] = '.'; // STOP
        return new TorchZipFiles("archive").pickle(pickle).floatStorage("0", 1f).write(dir.resolve("payload.ckpt"));
    }

    private static PickleBytes text(String s) {
        return new PickleBytes().str(s);
    }

    @ParameterizedTest
    @CsvSource({
        "posix, system, posix.system",
        "nt, system, nt.system",
        "os, system, os.system",
        "builtins, exec, builtins.exec",
        "__builtin__, eval, builtins.eval",
        "builtins, __import__, builtins.__import__",
        "subprocess, getoutput, subprocess.getoutput",
    })
    void commandRunningGlobalsAreRefusedAndNothingRuns(String module, String name, String shown, @TempDir Path dir)
            throws IOException {
        Path marker = dir.resolve("pwned");
        String command = "touch " + marker;
        String code = "__import__('os').system('" + command + "')";
        PickleBytes argument = text(module.equals("builtins") || module.equals("__builtin__") ? code : command);
        Path file = payloadCheckpoint(dir, module, name, argument);
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(file));
        assertTrue(e.getMessage().contains("pickle global '" + shown + "' is not allowed"), e.getMessage());
        assertFalse(marker.toFile().exists(), "the payload must not have run");
    }

    @Test
    void theRefusalComesBeforeAnyStorageIsRead(@TempDir Path dir) throws IOException {
        // same payload, but the harmless tensor's storage entry is missing: reading it first would fail differently
        Path withStorage = payloadCheckpoint(dir, "posix", "system", text("true"));
        byte[] pickle;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(withStorage.toFile())) {
            pickle = zip.getInputStream(zip.getEntry("archive/data.pkl")).readAllBytes();
        }
        Path file = new TorchZipFiles("archive").pickle(pickle).write(dir.resolve("nostorage.ckpt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().startsWith("refusing to load nostorage.ckpt: pickle global 'posix.system'"),
                e.getMessage());
    }

    @Test
    void getattrIsRefused(@TempDir Path dir) throws IOException {
        Path file = payloadCheckpoint(dir, "builtins", "getattr", text("os"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("pickle global 'builtins.getattr' is not allowed"), e.getMessage());
    }

    @Test
    void newobjAndBuildOfADangerousClassStayInert(@TempDir Path dir) throws IOException {
        // Python would only call Popen.__new__ here (no process); this reader does not even do that
        Path marker = dir.resolve("pwned");
        byte[] pickle = PickleBytes.proto2().emptyDict().mark()
                .str("weight").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("obj").global("subprocess", "Popen").mark().str("touch").str(marker.toString()).tuple()
                .op(0x81).emptyDict().str("args").str("touch " + marker).op('s').op('b')
                .setitems().stop().bytes();
        Path file = new TorchZipFiles("archive").pickle(pickle).floatStorage("0", 1f).write(dir.resolve("inert.ckpt"));
        StateDict sd = TorchCheckpoint.read(file);
        assertEquals(List.of("weight"), List.copyOf(sd.keys()));
        assertFalse(marker.toFile().exists());
    }
}
