package dev.vqclip.engine.vqgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.RealConfigs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class VqganShapesTest {

    @Test
    void realF16ArchitectureDeclaresExactlyTheKeysAndShapesOfTheUpstreamStateDict() {
        Map<String, long[]> expected = RealConfigs.keysTsv("vqgan_f16_16384.keys.tsv");
        Map<String, long[]> actual = Vqgan.expectedShapes(RealConfigs.vqganF16());
        assertEquals(343, expected.size());
        assertEquals(describe(expected), describe(actual));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "upstream key order");
    }

    @Test
    void gumbelVariantSwapsTheCodebookForProjAndEmbed() {
        VqganConfig c = new VqganConfig(128, List.of(1, 1, 2, 4), 2, List.of(32), 256, 256, 3, 3, 256, 8192, true);
        Map<String, long[]> shapes = Vqgan.expectedShapes(c);
        assertFalse(shapes.containsKey("quantize.embedding.weight"));
        assertEquals(List.of(8192L, 256L, 1L, 1L), asList(shapes.get("quantize.proj.weight")));
        assertEquals(List.of(8192L, 256L), asList(shapes.get("quantize.embed.weight")));
        assertTrue(shapes.containsKey("decoder.up.3.attn.2.q.weight"), "attention at the 32x32 level (f8 at 256 px)");
    }

    private static Map<String, List<Long>> describe(Map<String, long[]> m) {
        Map<String, List<Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, asList(v)));
        return out;
    }

    private static List<Long> asList(long[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}
