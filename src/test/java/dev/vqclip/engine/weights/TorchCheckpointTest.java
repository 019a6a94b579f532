package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointTest {
    private static final StateDict EXPECTED = SafetensorsReader.read(Fixtures.file("vqgan_tiny.weights.safetensors"));

    @ParameterizedTest
    @ValueSource(strings = {"vqgan_tiny.ckpt", "vqgan_tiny_net2net.ckpt"})
    void theVqganTensorsAreBitIdenticalToTheSafetensorsCopy(String fixture) {
        StateDict sd = TorchCheckpoint.read(Fixtures.file(fixture));
        assertEquals(183, sd.size());
        assertEquals(List.copyOf(EXPECTED.keys()), List.copyOf(sd.keys()), "same names in the same order");
        for (String key : EXPECTED.keys()) {
            HostTensor want = EXPECTED.get(key);
            HostTensor got = sd.get(key);
            assertEquals(DType.F32, got.dtype(), key);
            assertArrayEquals(want.shape(), got.shape(), key);
            assertEquals(want.data(), got.data(), key + " bytes");
        }
    }

    @Test
    void lossModuleKeysAreDropped() {
        StateDict sd = TorchCheckpoint.read(Fixtures.file("vqgan_tiny.ckpt"));
        assertTrue(sd.keys().stream().noneMatch(k -> k.startsWith("loss.")));
    }

    @Test
    void net2netKeepsOnlyTheWholeFirstStagePrefix() {
        StateDict sd = TorchCheckpoint.read(Fixtures.file("vqgan_tiny_net2net.ckpt"));
        // cond_stage_model.encoder.conv_in.weight is [8,3,3,3]; the first stage's is [32,3,3,3]
        assertArrayEquals(new long[] {32, 3, 3, 3}, sd.get("encoder.conv_in.weight").shape());
        assertTrue(sd.keys().stream().noneMatch(k -> k.startsWith("transformer.") || k.contains("stage_model")));
    }

    @Test
    void aPlainStateDictWithoutLightningWrappingIsReadFromTheTopLevel(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().global("collections", "OrderedDict").emptyTuple().reduce().mark()
                .str("w").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3})
                .str("step").integer(5)
                .setitems().stop().bytes();
        Path file = new TorchZipFiles("model").pickle(pickle).floatStorage("0", 0, 1, 2, 3, 4, 5)
                .write(dir.resolve("model.pt"));
        StateDict sd = TorchCheckpoint.read(file);
        assertEquals(List.of("w"), List.copyOf(sd.keys()));
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("w").toFloats(), "non-contiguous view copied");
    }

    @Test
    void twoTensorsMaySliceOneStorage(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().mark()
                .str("a").tensor("FloatStorage", "0", 5, 0, new long[] {2}, new long[] {1})
                .str("b").tensor("FloatStorage", "0", 5, 2, new long[] {3}, new long[] {1})
                .setitems().stop().bytes();
        Path file = new TorchZipFiles("x").pickle(pickle).floatStorage("0", 10, 11, 12, 13, 14)
                .write(dir.resolve("shared.pt"));
        StateDict sd = TorchCheckpoint.read(file);
        assertArrayEquals(new float[] {10, 11}, sd.get("a").toFloats());
        assertArrayEquals(new float[] {12, 13, 14}, sd.get("b").toFloats());
    }

    @Test
    void aStorageEntryShorterThanThePickleSaysIsRefused(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).op('s').stop().bytes();
        Path file = new TorchZipFiles("x").pickle(pickle).floatStorage("0", 1, 2, 3).write(dir.resolve("short.pt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("storage entry x/data/0 has 12 bytes, but 4 F32 elements need 16"),
                e.getMessage());
    }

    @Test
    void aMissingStorageEntryIsNamed(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("FloatStorage", "9", 1, 0, new long[0], new long[0]).op('s').stop().bytes();
        Path file = new TorchZipFiles("x").pickle(pickle).write(dir.resolve("missing.pt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("storage entry x/data/9, which is missing"), e.getMessage());
    }

    @Test
    void aZipWithoutDataPklIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Path file = new TorchZipFiles("x").entry("readme.txt", new byte[] {1}).write(dir.resolve("other.zip"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("expected exactly one <folder>/data.pkl entry, found none"), e.getMessage());
    }

    @Test
    void aTruncatedCheckpointGivesAClearError(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("vqgan_tiny.ckpt"));
        Path cut = Files.write(dir.resolve("cut.ckpt"), java.util.Arrays.copyOf(whole, whole.length / 2));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(cut));
        assertTrue(e.getMessage().startsWith("cut.ckpt is not a readable zip archive (truncated or corrupted?)"),
                e.getMessage());
    }

    @Test
    void aCheckpointWithoutTensorsSaysWhereItLooked(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("state_dict").emptyDict().op('s').stop().bytes();
        Path file = new TorchZipFiles("x").pickle(pickle).write(dir.resolve("empty.ckpt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertEquals("empty.ckpt holds no model tensors (looked in \"state_dict\")", e.getMessage());
    }

    @Test
    void storageKeysUsedWithTwoDifferentTypesAreRefused(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().mark()
                .str("a").tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .str("b").tensor("HalfStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .setitems().stop().bytes();
        Path file = new TorchZipFiles("x").pickle(pickle).floatStorage("0", 1, 2).write(dir.resolve("clash.pt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("storage '0' is described both as"), e.getMessage());
    }

    @Test
    void aDictSubclassAtTheTopIsReadThroughItsItems(@TempDir Path dir) throws IOException {
        // Lightning's AttributeDict and other dict subclasses pickle as NEWOBJ of the class, then SETITEMS
        byte[] pickle = PickleBytes.proto2().global("pytorch_lightning.utilities.parsing", "AttributeDict")
                .emptyTuple().op(0x81).mark()
                .str("state_dict").emptyDict().str("w").tensor("FloatStorage", "0", 1, 0, new long[0], new long[0])
                .op('s').setitems().stop().bytes();
        Path file = new TorchZipFiles("archive").pickle(pickle).floatStorage("0", 2.5f).write(dir.resolve("attr.ckpt"));
        assertArrayEquals(new float[] {2.5f}, TorchCheckpoint.read(file).get("w").toFloats());
    }

    @Test
    void aBigEndianArchiveIsRefused(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().stop().bytes();
        Path file = new TorchZipFiles("archive").pickle(pickle).entry("byteorder", "big".getBytes())
                .write(dir.resolve("be.pt"));
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertEquals("be.pt was written with byte order 'big'; only little-endian checkpoints are supported",
                e.getMessage());
    }

    @Test
    void aLittleEndianByteorderEntryIsAccepted(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s').stop().bytes();
        Path file = new TorchZipFiles("archive").pickle(pickle).floatStorage("0", 1f)
                .entry("byteorder", "little".getBytes()).write(dir.resolve("le.pt"));
        assertEquals(1, TorchCheckpoint.read(file).size());
    }
}
