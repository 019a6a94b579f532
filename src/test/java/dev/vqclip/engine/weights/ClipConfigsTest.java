package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.clip.ClipConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipConfigsTest {
    private static final StateDict TINY = SafetensorsReader.read(Fixtures.file("clip_tiny.weights.safetensors"));
    /** tiny_configs.json -> clip_tiny */
    private static final ClipConfig TINY_CONFIG = new ClipConfig(32, 32, 2, 128, 8, 16, 64, 128, 2, 2);

    @Test
    void shapesGiveTheTinyConfigAsBuildModelDoes() {
        assertEquals(TINY_CONFIG, ClipConfigs.inferFromShapes(TINY));
    }

    @Test
    void theTorchScriptArchiveGivesTheSameConfig() {
        assertEquals(TINY_CONFIG, ClipConfigs.inferFromShapes(ClipArchive.read(Fixtures.file("clip_tiny_jit.pt"))));
    }

    @Test
    void safetensorsMetadataGivesTheSameConfig() {
        assertEquals(TINY_CONFIG, ClipConfigs.fromMetadataJson(TINY.metadata().get("config")));
    }

    @Test
    void metadataWithASpecialTokenThatContradictsTheVocabularyIsRefused() {
        String json = TINY.metadata().get("config").replace("\"eot_token\": 63", "\"eot_token\": 5");
        WeightsException e = assertThrows(WeightsException.class, () -> ClipConfigs.fromMetadataJson(json));
        assertTrue(e.getMessage().contains("eot_token is 5"), e.getMessage());
    }

    @Test
    void metadataWithAMissingFieldNamesIt() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> ClipConfigs.fromMetadataJson("{\"embed_dim\": 32}"));
        assertEquals("config field 'image_resolution' must be an integer but is null", e.getMessage());
    }

    @Test
    void resnetKeysAreRejected() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("visual.layer1.0.conv1.weight", HostTensor.ofFloats(new float[1], 1));
        t.put("visual.attnpool.positional_embedding", HostTensor.ofFloats(new float[1], 1));
        WeightsException e = assertThrows(WeightsException.class,
                () -> ClipConfigs.inferFromShapes(new StateDict(t, Map.of(), "RN50.pt")));
        assertEquals("RN50.pt: ResNet CLIP models (RN50…) are not supported yet; use a ViT model", e.getMessage());
    }

    @Test
    void aNonSquarePatchGridIsRefused() {
        Map<String, HostTensor> t = new LinkedHashMap<>(TINY.tensors());
        t.put("visual.positional_embedding", HostTensor.ofFloats(new float[16 * 128], 16, 128));
        WeightsException e = assertThrows(WeightsException.class,
                () -> ClipConfigs.inferFromShapes(new StateDict(t, Map.of(), "odd")));
        assertTrue(e.getMessage().contains("16 rows, which is not a square grid plus the class token"), e.getMessage());
    }
}
