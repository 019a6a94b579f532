package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.vqgan.VqganConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VqganConfigsTest {
    private static final StateDict TINY = SafetensorsReader.read(Fixtures.file("vqgan_tiny.weights.safetensors"));
    /** tiny_configs.json -> vqgan_tiny */
    private static final VqganConfig TINY_CONFIG =
            new VqganConfig(32, List.of(1, 2, 2), 1, List.of(8), 16, 32, 3, 3, 16, 64, false);

    @Test
    void shapesGiveTheTinyConfigAtItsTrainingResolution() {
        assertEquals(TINY_CONFIG, VqganConfigs.inferFromShapes(TINY, 32));
    }

    @Test
    void withoutAResolutionAttentionLevelsAreExpressedAt256() {
        VqganConfig c = VqganConfigs.inferFromShapes(TINY);
        assertEquals(256, c.resolution());
        assertEquals(List.of(64), c.attnResolutions(), "level 2 of 256 = 64, the same block layout as 8 of 32");
    }

    @Test
    void theNet2NetCheckpointGivesTheSameConfig() {
        StateDict sd = TorchCheckpoint.read(Fixtures.file("vqgan_tiny_net2net.ckpt"));
        assertEquals(TINY_CONFIG, VqganConfigs.inferFromShapes(sd, 32));
    }

    @Test
    void safetensorsMetadataGivesTheSameConfig() {
        assertEquals(TINY_CONFIG, VqganConfigs.fromMetadataJson(TINY.metadata().get("config")));
    }

    @Test
    void aGumbelCodebookMarksTheGumbelVariant() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        TINY.tensors().forEach((k, v) -> t.put(k.equals("quantize.embedding.weight") ? "quantize.embed.weight" : k, v));
        t.put("quantize.proj.weight", HostTensor.ofFloats(new float[64 * 16], 64, 16, 1, 1));
        VqganConfig c = VqganConfigs.inferFromShapes(new StateDict(t, Map.of(), "gumbel"), 32);
        assertTrue(c.gumbel());
        assertEquals(64, c.nEmbed());
        assertFalse(VqganConfigs.inferFromShapes(TINY, 32).gumbel());
    }

    @Test
    void aStateDictWithoutTheEncoderNamesTheMissingKey() {
        StateDict decoderOnly = TINY.filter(k -> !k.startsWith("encoder."));
        WeightsException e = assertThrows(WeightsException.class, () -> VqganConfigs.inferFromShapes(decoderOnly));
        assertEquals("missing key 'encoder.conv_in.weight' in vqgan_tiny.weights.safetensors", e.getMessage());
    }

    @Test
    void metadataForADoubleZAutoencoderIsRefused() {
        String json = TINY.metadata().get("config").replace("\"double_z\": false", "\"double_z\": true");
        WeightsException e = assertThrows(WeightsException.class, () -> VqganConfigs.fromMetadataJson(json));
        assertTrue(e.getMessage().contains("double_z is true"), e.getMessage());
    }
}
