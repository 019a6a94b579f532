package dev.vqclip.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.bench.parity.FixtureCheck;
import dev.vqclip.testing.FixtureDir;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.HostTensor;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.VqganConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GPU path against the upstream outputs: decoder in fp32 (reference tolerance), CLIP in fp16 as the reference runs
 * it on GPU (fp16 tolerance). Skipped, with the reason in the report, where libtorch sees no GPU.
 */
class GpuParityTest {
    @BeforeEach
    void needsAGpu() {
        assumeTrue(Devices.gpuAvailable(), "no GPU visible to libtorch on this host: GPU parity tests skipped");
    }

    @Test
    void decoderOnTheGpuMatchesUpstreamInFloat32() {
        StateDict w = SafetensorsReader.read(FixtureDir.get().resolve("vqgan_tiny.weights.safetensors"));
        StateDict io = SafetensorsReader.read(FixtureDir.get().resolve("vqgan_tiny.io.safetensors"));
        try (Vqgan vqgan = Vqgan.load(w, VqganConfigs.fromMetadataJson(w.metadata().get("config")), Device.gpu());
             NDManager m = NDManager.newBaseManager(Device.gpu())) {
            HostTensor z = io.get("decode_z");
            NDArray decoded = vqgan.decode(m.create(z.toFloats(), new Shape(z.shape())));
            FixtureCheck c = FixtureCheck.compare("gpu/decoded", decoded, io.get("decoded"), 1e-4);
            assertTrue(c.pass(), c.line());
        }
    }

    @Test
    void clipOnTheGpuInFloat16StaysCloseToUpstream() {
        StateDict w = SafetensorsReader.read(FixtureDir.get().resolve("clip_tiny.weights.safetensors"));
        StateDict io = SafetensorsReader.read(FixtureDir.get().resolve("clip_tiny.io.safetensors"));
        try (ClipModel clip = ClipModel.load(w, ClipConfigs.fromMetadataJson(w.metadata().get("config")), Device.gpu());
             NDManager m = NDManager.newBaseManager(Device.gpu())) {
            HostTensor in = io.get("encode_image_in");
            NDArray out = clip.encodeImage(m.create(in.toFloats(), new Shape(in.shape())));
            FixtureCheck c = FixtureCheck.compare("gpu/encode_image_out", out, io.get("encode_image_out"), 2e-2);
            assertTrue(c.pass(), c.line());
        }
    }
}
