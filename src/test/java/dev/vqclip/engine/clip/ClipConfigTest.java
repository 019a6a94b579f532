package dev.vqclip.engine.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ClipConfigTest {
    private static final String TINY = "{\"embed_dim\": 32, \"image_resolution\": 32, \"vision_layers\": 2, "
            + "\"vision_width\": 128, \"vision_patch_size\": 8, \"context_length\": 16, \"vocab_size\": 64, "
            + "\"transformer_width\": 128, \"transformer_heads\": 2, \"transformer_layers\": 2, \"sot_token\": 62, "
            + "\"eot_token\": 63, \"pad_token\": 0}";

    @Test
    void metadataJsonGivesUpstreamConstructorArguments() {
        assertEquals(new ClipConfig(32, 32, 2, 128, 8, 16, 64, 128, 2, 2), ClipConfig.fromMetadataJson(TINY));
    }

    @Test
    void specialTokensThatAreNotTheTwoHighestIdsAreRejected() {
        String bad = TINY.replace("\"sot_token\": 62", "\"sot_token\": 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromMetadataJson(bad));
        assertTrue(e.getMessage().contains("sot=1"), e.getMessage());
    }

    @Test
    void aMissingFieldIsNamed() {
        String bad = TINY.replace("\"vision_layers\": 2, ", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromMetadataJson(bad));
        assertTrue(e.getMessage().contains("vision_layers"), e.getMessage());
    }
}
