package dev.vqclip.engine.clip;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class ClipModelTest {

    @Test
    void imageEmbeddingGradientWithRespectToThePixelsMatchesFiniteDifferences() {
        try (ClipModel model = TinyModels.clip(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(11);
            NDArray pixels = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray weights = m.randomNormal(new Shape(2, 32));
            NDArray direction = m.randomNormal(pixels.getShape());
            double[] g = GradientCheck.directional(model::encodeImage, pixels, weights, direction, 1e-3f);
            assertEquals(g[1], g[0], 1e-2 * Math.abs(g[1]), "autograd vs finite difference");
        }
    }

    @Test
    void textTruncatedAfterTheEotEmbedsLikeTheZeroPaddedContext() {
        try (ClipModel model = TinyModels.clip(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long[] ids = {62, 5, 17, 33, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            NDArray full = model.encodeText(m.create(ids, new Shape(1, 16)));
            NDArray shortened = model.encodeText(m.create(Arrays.copyOf(ids, 5), new Shape(1, 5)));
            assertTrue(full.sub(shortened).abs().max().getFloat() < 1e-5, "causal mask: padding is never attended");
            assertEquals(full.getManager(), m);
        }
    }

    @Test
    void inputsOfTheWrongShapeAreRejectedWithTheExpectedShape() {
        try (ClipModel model = TinyModels.clip(); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = m.zeros(new Shape(1, 3, 28, 28));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.encodeImage(image));
            assertTrue(e.getMessage().contains("[N, 3, 32, 32]"), e.getMessage());
            NDArray tooLong = m.zeros(new Shape(1, 17), DataType.INT64);
            assertThrows(IllegalArgumentException.class, () -> model.encodeText(tooLong));
        }
    }
}
