package dev.vqclip.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.testing.RealConfigs;
import dev.vqclip.engine.vqgan.Quantized;
import dev.vqclip.engine.vqgan.Vqgan;
import org.junit.jupiter.api.Test;

/** The real VQGAN f16-16384 and CLIP ViT-B/32 architectures build (random weights) and run on small inputs. */
final class RealSizeModelsTest {

    @Test
    void realVqganF16EncodesQuantizesAndDecodesASmallImage() {
        try (Vqgan vqgan = Vqgan.randomInit(RealConfigs.vqganF16(), Device.cpu(), 1);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray z = vqgan.encode(m.randomUniform(-1, 1, new Shape(1, 3, 32, 48)));
            assertArrayEquals(new long[] {1, 256, 2, 3}, z.getShape().getShape());
            try (Quantized q = vqgan.quantize(z)) {
                NDArray image = vqgan.decode(q.zq());
                assertArrayEquals(new long[] {1, 3, 32, 48}, image.getShape().getShape());
                assertTrue(Float.isFinite(image.abs().max().getFloat()));
            }
        }
    }

    @Test
    void realClipVitB32EmbedsAnImageAndATokenRow() {
        try (ClipModel clip = ClipModel.randomInit(RealConfigs.clipVitB32(), Device.cpu(), 1);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = clip.encodeImage(m.randomNormal(new Shape(1, 3, 224, 224)));
            assertArrayEquals(new long[] {1, 512}, image.getShape().getShape());
            long[] ids = new long[77];
            ids[0] = 49406;
            ids[1] = 320;
            ids[2] = 49407;
            NDArray text = clip.encodeText(m.create(ids, new Shape(1, 77)).toType(DataType.INT64, false));
            assertArrayEquals(new long[] {1, 512}, text.getShape().getShape());
            assertTrue(Float.isFinite(image.abs().max().getFloat()) && Float.isFinite(text.abs().max().getFloat()));
        }
    }
}
