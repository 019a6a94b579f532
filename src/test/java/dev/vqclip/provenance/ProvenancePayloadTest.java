package dev.vqclip.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenancePayloadTest {

    static ProvenancePayload sample() {
        List<ProvenancePayload.Prompt> prompts = List.of(new ProvenancePayload.Prompt("a café", 1.0),
                new ProvenancePayload.Prompt("oil painting", 0.5));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cutn", 32);
        settings.put("lr", 0.1);
        return new ProvenancePayload(ProvenancePayload.titleOf(prompts), null, 50, "ImageNet 16384", "123", false, prompts,
                256, 256, 500, "vqgan", "ViT-B/32", Map.of("vqgan_imagenet_f16_16384", "ab12"), 42L, "vqclip 0.1.0", settings);
    }

    @Test
    void writesTheNotebookKeysFirstInPythonJsonStyleWithNonAsciiEscaped() {
        String json = sample().toJson();
        assertTrue(json.startsWith("{\"title\": \"a caf\\u00E9 | oil painting\", \"notebook\": \"VQGAN+CLIP\", \"i\": 50, "
                + "\"model\": \"ImageNet 16384\", \"seed\": \"123\", \"input_images\": \"\", \"prompts\": ["), json);
        assertTrue(json.chars().allMatch(c -> c < 0x80), "pure ASCII, as Stegano needs");
    }

    @Test
    void roundTripsThroughJson() throws ProvenanceException {
        ProvenancePayload p = sample();
        assertEquals(p, ProvenancePayload.fromJson(p.toJson()));
    }

    @Test
    void readsANotebookEraPayload() throws ProvenanceException {
        String old = "{\"title\": \"a castle | oil painting\", \"notebook\": \"VQGAN+CLIP\", \"i\": 50, "
                + "\"model\": \"ImageNet 16384\", \"seed\": \"123\", \"input_images\": true}";
        ProvenancePayload p = ProvenancePayload.fromJson(old);
        assertEquals("a castle | oil painting", p.title());
        assertEquals(50, p.i());
        assertEquals("123", p.seed());
        assertTrue(p.inputImages());
        assertTrue(p.prompts().isEmpty());
        assertNull(p.jobId());
        assertFalse(ProvenancePayload.fromJson(old.replace("true", "\"\"")).inputImages());
    }

    @Test
    void rejectsWhatIsNotARecipe() {
        assertThrows(ProvenanceException.class, () -> ProvenancePayload.fromJson("[1, 2]"));
        assertThrows(ProvenanceException.class, () -> ProvenancePayload.fromJson("{\"title\": "));
        ProvenanceException e = assertThrows(ProvenanceException.class, () -> ProvenancePayload.fromJson("{\"i\": -3}"));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void parametersLineSummarisesTheRecipe() {
        assertEquals("a café | oil painting:0.5\nSteps: 500, Seed: 123, Size: 256x256, Model: ImageNet 16384, "
                + "CLIP: ViT-B/32, Drawer: vqgan, Job: 42, Version: vqclip 0.1.0", sample().parametersLine());
    }
}
