package dev.vqclip.engine.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vqclip.testing.RealConfigs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

final class ClipShapesTest {

    @Test
    void realVitB32ArchitectureDeclaresExactlyTheKeysAndShapesOfTheUpstreamStateDict() {
        Map<String, long[]> expected = RealConfigs.keysTsv("clip_vit_b32.keys.tsv");
        Map<String, long[]> actual = ClipModel.expectedShapes(RealConfigs.clipVitB32());
        assertEquals(302, expected.size());
        assertEquals(describe(expected), describe(actual));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "upstream key order");
    }

    private static Map<String, List<Long>> describe(Map<String, long[]> m) {
        Map<String, List<Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, Arrays.stream(v).boxed().toList()));
        return out;
    }
}
