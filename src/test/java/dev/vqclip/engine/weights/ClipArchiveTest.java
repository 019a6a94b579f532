package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipArchiveTest {
    private static final StateDict EXPECTED = SafetensorsReader.read(Fixtures.file("clip_tiny.weights.safetensors"));
    private static final StateDict ARCHIVE = ClipArchive.read(Fixtures.file("clip_tiny_jit.pt"));

    @Test
    void theArchiveHoldsTheSafetensorsKeysAndShapes() {
        assertEquals(62, ARCHIVE.size());
        assertEquals(List.copyOf(EXPECTED.keys()), List.copyOf(ARCHIVE.keys()), "names and state_dict order");
        for (String key : EXPECTED.keys()) {
            assertArrayEquals(EXPECTED.get(key).shape(), ARCHIVE.get(key).shape(), key);
        }
        assertTrue(ARCHIVE.contains("visual.transformer.resblocks.1.attn.in_proj_weight"));
        assertTrue(ARCHIVE.contains("visual.transformer.resblocks.0.mlp.c_fc.bias"));
    }

    @Test
    void float32TensorsAreBitIdenticalAndFloat16OnesAreTheirNearestHalf() {
        int halves = 0;
        float maxError = 0;
        for (String key : EXPECTED.keys()) {
            HostTensor got = ARCHIVE.get(key);
            float[] want = EXPECTED.get(key).toFloats();
            if (got.dtype() == DType.F32) {
                assertEquals(EXPECTED.get(key).data(), got.data(), key);
                continue;
            }
            assertEquals(DType.F16, got.dtype(), key);
            halves++;
            float[] widened = got.toFloats();
            for (int i = 0; i < want.length; i++) {
                // the fixture's float16 values are the float32 ones rounded to nearest: within half a float16 ulp
                float halfUlp = (float) Math.scalb(1.0, Math.max(Math.getExponent(want[i]), -14) - 11);
                assertTrue(Math.abs(widened[i] - want[i]) <= halfUlp, key + "[" + i + "]: " + widened[i] + " vs "
                        + want[i]);
                maxError = Math.max(maxError, Math.abs(widened[i] - want[i]));
            }
        }
        assertEquals(35, halves);
        assertTrue(maxError < 1.25e-4, "CHECKPOINTS.md gives 1.2e-4 as the largest rounding error, saw " + maxError);
    }

    @Test
    void scalarBuffersAreDroppedAfterTheCrossCheck() {
        assertTrue(ARCHIVE.keys().stream().noneMatch(k -> List.of("input_resolution", "context_length", "vocab_size")
                .contains(k)));
    }

    /** A one-module TorchScript-style archive with the given root attributes (name, tensor) pairs in the pickle. */
    private static Path archive(Path dir, PickleBytes attributes, int storages) throws IOException {
        byte[] pickle = PickleBytes.proto2().global("__torch__.m", "Root").emptyTuple().op(0x81)
                .emptyDict().mark().bytes();
        byte[] attrs = attributes.bytes();
        byte[] all = new byte[pickle.length + attrs.length + 3];
        System.arraycopy(pickle, 0, all, 0, pickle.length);
        System.arraycopy(attrs, 0, all, pickle.length, attrs.length);
        all[all.length - 3] = 'u';
        all[all.length - 2] = 'b';
        all[all.length - 1] = '.';
        TorchZipFiles zip = new TorchZipFiles("m").pickle(all).entry("code/__torch__/m.py", new byte[] {'#'});
        for (int i = 0; i < storages; i++) {
            zip.floatStorage(String.valueOf(i), 1f);
        }
        return zip.write(dir.resolve("m.pt"));
    }

    @Test
    void resnetClipsAreRejectedWithAClearMessage(@TempDir Path dir) throws IOException {
        PickleBytes attrs = new PickleBytes()
                .str("visual").global("__torch__.m", "ModifiedResNet").emptyTuple().op(0x81).emptyDict().mark()
                .str("layer1").global("__torch__.m", "Seq").emptyTuple().op(0x81).emptyDict()
                .str("w").tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1}).op('s').op('b')
                .setitems().op('b');
        Path file = archive(dir, attrs, 1);
        WeightsException e = assertThrows(WeightsException.class, () -> ClipArchive.read(file));
        assertEquals("m.pt: ResNet CLIP models (RN50…) are not supported yet; use a ViT model", e.getMessage());
    }

    @Test
    void aPlainCheckpointIsNotATorchScriptArchive() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> ClipArchive.read(Fixtures.file("vqgan_tiny.ckpt")));
        assertTrue(e.getMessage().contains("is not a TorchScript archive"), e.getMessage());
    }
}
