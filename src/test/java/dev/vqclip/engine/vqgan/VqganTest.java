package dev.vqclip.engine.vqgan;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vqclip.engine.nn.GradientCheck;
import dev.vqclip.testing.FixtureDir;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.WeightsException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class VqganTest {

    @Test
    void decodeGradientWithRespectToTheLatentMatchesFiniteDifferences() {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(7);
            NDArray z = m.randomNormal(0, 0.17f, new Shape(1, 16, 3, 5), DataType.FLOAT32); // non-square latent
            NDArray weights = m.randomNormal(new Shape(1, 3, 12, 20));
            NDArray direction = m.randomNormal(z.getShape());
            // group norm over a 3x5 map is strongly curved: the central difference needs a small step to converge
            double[] g = GradientCheck.directional(model::decode, z, weights, direction, 2e-3f);
            assertEquals(g[1], g[0], 1e-2 * Math.abs(g[1]), "autograd vs finite difference");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DecoderCheckpoint.class, names = {"NORMS", "ALL"})
    void theCheckpointedDecodeGivesThePlainDecodesImageAndGradient(DecoderCheckpoint which) {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(9);
            NDArray z0 = m.randomNormal(0, 0.17f, new Shape(1, 16, 10, 12), DataType.FLOAT32);
            NDArray upstream = m.randomNormal(new Shape(1, 3, 40, 48));           // d loss / d image
            int modelArrays = model.manager().getManagedArrays().size();

            NDArray z = z0.duplicate();
            z.setRequiresGradient(true);
            NDArray plain;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                plain = model.decode(z.mul(1f));
                gc.backward(plain.mul(upstream).sum());
            }
            NDArray zc = z0.duplicate();
            zc.setRequiresGradient(true);
            NDArray image;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                CheckpointedDecode decode = model.decodeCheckpointed(zc.mul(1f), which);
                image = decode.output();
                assertFalse(image.hasGradient(), "the forward records no graph");
                gc.backward(decode.surrogate(gc, upstream));
            }
            assertArrayEquals(plain.toFloatArray(), image.toFloatArray(), 1e-6f);
            float[] expected = z.getGradient().toFloatArray();
            float[] actual = zc.getGradient().toFloatArray();
            float scale = z.getGradient().abs().max().getFloat();
            assertTrue(scale > 0);
            assertArrayEquals(expected, actual, 1e-5f * scale);
            assertEquals(modelArrays, model.manager().getManagedArrays().size(), "nothing left in the model's manager");
        }
    }

    @Test
    void aCheckpointedDecodeNeedsStagesToRecompute() {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray z = m.zeros(new Shape(1, 16, 2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.decodeCheckpointed(z, DecoderCheckpoint.NONE));
            assertTrue(e.getMessage().contains("got none"), e.getMessage());
        }
    }

    @Test
    void everyPlainResnetBlockAndTheOutputStageHaveALeanRun() {
        try (Vqgan model = TinyModels.vqgan()) {
            List<String> lean = model.decodeStages().stream().filter(st -> st.lean() != null).map(DecodeStage::name).toList();
            List<String> expected = model.decodeStages().stream().map(DecodeStage::name)
                    .filter(n -> n.matches("up\\.\\d+\\.block\\.\\d+") || n.equals("norm_out+conv_out")).toList();
            assertEquals(expected, lean);
            assertTrue(lean.size() > 2, lean.toString());
        }
    }

    @Test
    void resultsLiveInTheInputsManagerNotTheModels() {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray z = m.zeros(new Shape(1, 16, 2, 2));
            int modelArrays = model.manager().getManagedArrays().size();
            NDArray image = model.decode(z);
            try (Quantized q = model.quantize(z)) {
                assertTrue(image.getManager() == m && q.zq().getManager() == m && q.indices().getManager() == m);
            }
            assertEquals(modelArrays, model.manager().getManagedArrays().size(), "nothing left in the model's manager");
            assertArrayEquals(new long[] {1, 3, 8, 8}, image.getShape().getShape());
        }
    }

    @Test
    void quantizeSnapsEveryPositionToItsNearestCodebookRow() {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray rows = model.codebook().get("5:7").duplicate(); // two codes, as a [1, E, 1, 2] latent
            NDArray z = rows.transpose().reshape(1, 16, 1, 2).add(m.create(1e-3f));
            z.attach(m);
            try (Quantized q = model.quantize(z)) {
                assertArrayEquals(new long[] {5, 6}, q.indices().toLongArray());
                assertTrue(q.zq().sub(rows.transpose().reshape(1, 16, 1, 2)).abs().max().getFloat() < 1e-6);
            }
        }
    }

    @Test
    void loadRejectsAStateDictOfAnotherArchitectureBeforeAllocating() {
        StateDict w = SafetensorsReader.read(FixtureDir.get().resolve("vqgan_tiny.weights.safetensors"));
        VqganConfig wider = new VqganConfig(64, List.of(1, 2, 2), 1, List.of(8), 16, 32, 3, 3, 16, 64, false);
        WeightsException e = assertThrows(WeightsException.class, () -> Vqgan.load(w, wider, Device.cpu()));
        assertTrue(e.getMessage().contains("encoder.conv_in.weight"), e.getMessage());
    }

    @Test
    void encodeRejectsImagesWhoseSidesAreNotMultiplesOfTheFactor() {
        try (Vqgan model = TinyModels.vqgan(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = m.zeros(new Shape(1, 3, 30, 32));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.encode(image));
            assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
        }
    }

    @Test
    void gumbelModelQuantizesByTheArgmaxOfItsProjectionAndDecodesFromEmbed() {
        VqganConfig c = new VqganConfig(32, List.of(1, 2), 1, List.of(), 32, 16, 3, 3, 32, 48, true);
        try (Vqgan model = Vqgan.randomInit(c, Device.cpu(), 3); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray z = model.encode(m.randomUniform(-1, 1, new Shape(2, 3, 16, 16)));
            try (Quantized q = model.quantize(z)) {
                assertArrayEquals(new long[] {2 * 8 * 8}, q.indices().getShape().getShape());
                NDArray picked = model.codebook().get(q.indices()); // [128, 32]
                NDArray zqRows = q.zq().transpose(0, 2, 3, 1).reshape(-1, 32);
                assertEquals(0f, zqRows.sub(picked).abs().max().getFloat());
                assertArrayEquals(new long[] {2, 3, 16, 16}, model.decode(q.zq()).getShape().getShape());
            }
        }
    }
}
