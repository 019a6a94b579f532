package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    @Test
    void eachFormatIsRecognisedByContent(@TempDir Path dir) throws IOException {
        // names that lie about the format: the content decides
        Path st = Files.copy(Fixtures.file("vqgan_tiny.weights.safetensors"), dir.resolve("a.ckpt"));
        Path ckpt = Files.copy(Fixtures.file("vqgan_tiny.ckpt"), dir.resolve("b.safetensors"));
        Path jit = Files.copy(Fixtures.file("clip_tiny_jit.pt"), dir.resolve("c.bin"));
        StateDict fromSafetensors = ModelFiles.readStateDict(st);
        StateDict fromCkpt = ModelFiles.readStateDict(ckpt);
        assertEquals(183, fromSafetensors.size());
        assertEquals(fromSafetensors.keys(), fromCkpt.keys());
        assertEquals(fromSafetensors.get("decoder.conv_out.weight").data(), fromCkpt.get("decoder.conv_out.weight").data());
        StateDict clip = ModelFiles.readStateDict(jit);
        assertEquals(62, clip.size());
        assertEquals(DType.F16, clip.get("visual.proj").dtype());
    }

    @Test
    void anEmptyFileSaysSo(@TempDir Path dir) throws IOException {
        Path f = Files.createFile(dir.resolve("model.ckpt"));
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertEquals("model.ckpt is empty (0 bytes); an interrupted download?", e.getMessage());
    }

    @Test
    void anUnrelatedFileShowsItsFirstBytes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("model.ckpt"), "<html>404 not found</html>");
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertEquals("model.ckpt is not a weights file this program reads (safetensors, a torch .ckpt zip or a "
                + "TorchScript archive); it starts with bytes 3c 68 74 6d 6c 3e 34 30", e.getMessage());
    }

    @Test
    void aTruncatedZipIsReportedAsSuch(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("clip_tiny_jit.pt"));
        Path f = Files.write(dir.resolve("ViT-B-32.pt"), Arrays.copyOf(whole, 100_000));
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertTrue(e.getMessage().startsWith("ViT-B-32.pt is not a readable zip archive (truncated or corrupted?)"),
                e.getMessage());
    }

    @Test
    void aCorruptedStorageEntryIsReported(@TempDir Path dir) throws IOException {
        // keep the central directory but chop bytes out of the middle: entry offsets no longer match
        byte[] whole = Files.readAllBytes(Fixtures.file("vqgan_tiny.ckpt"));
        byte[] holed = new byte[whole.length - 4096];
        System.arraycopy(whole, 0, holed, 0, 100_000);
        System.arraycopy(whole, 100_000 + 4096, holed, 100_000, whole.length - 100_000 - 4096);
        Path f = Files.write(dir.resolve("holed.ckpt"), holed);
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertTrue(e.getMessage().startsWith("holed.ckpt"), e.getMessage());
    }

    @Test
    void theLegacyTorchFormatIsNamed(@TempDir Path dir) throws IOException {
        byte[] legacy = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
                (byte) 0xa8, 0x50, 0x19, 0x2e};
        Path f = Files.write(dir.resolve("old.pth"), legacy);
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertTrue(e.getMessage().startsWith("old.pth uses the legacy non-zip torch.save format"), e.getMessage());
    }

    @Test
    void aTruncatedSafetensorsFileSaysSo(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("clip_tiny.weights.safetensors"));
        Path f = Files.write(dir.resolve("clip.safetensors"), Arrays.copyOf(whole, whole.length - 1000));
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.readStateDict(f));
        assertTrue(e.getMessage().contains("outside the data section"), e.getMessage());
    }

    @Test
    void bf16SafetensorsLoadAndWidenToFloat32(@TempDir Path dir) throws IOException {
        // bf16 is the top half of a float32: 1.5 = 0x3fc0, -2 = 0xc000, 0.15625 = 0x3e20, 3.0e38 ~ 0x7f62
        short[] bits = {0x3fc0, (short) 0xc000, 0x3e20, 0x7f62};
        String header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (short s : bits) {
            b.putShort(s);
        }
        Path f = Files.write(dir.resolve("bf16.safetensors"), b.array());
        HostTensor w = ModelFiles.readStateDict(f).get("w");
        assertEquals(DType.BF16, w.dtype());
        assertArrayEquals(new long[] {2, 2}, w.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 0.15625f, Float.intBitsToFloat(0x7f620000)}, w.toFloats());
    }

    @Test
    void bf16StoragesInATorchCheckpointLoadToo(@TempDir Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("BFloat16Storage", "0", 2, 0, new long[] {2}, new long[] {1}).op('s').stop().bytes();
        Path f = new TorchZipFiles("archive").pickle(pickle).entry("data/0", new byte[] {(byte) 0xc0, 0x3f, 0, (byte) 0xc0})
                .write(dir.resolve("bf16.ckpt"));
        assertArrayEquals(new float[] {1.5f, -2f}, ModelFiles.readStateDict(f).get("w").toFloats());
    }
}
