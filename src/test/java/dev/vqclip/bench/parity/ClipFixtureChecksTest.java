package dev.vqclip.bench.parity;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.FixtureDir;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ClipFixtureChecksTest {

    @Test
    void normalisationImageAndTextEmbeddingsMatchOpenAiClipWithinTheFixtureTolerance() {
        List<FixtureCheck> checks = new ClipFixtureChecks("clip_tiny").run(FixtureDir.get());
        checks.forEach(c -> System.out.println(c.line()));
        assertEquals(List.of("clip_tiny/encode_image_in", "clip_tiny/encode_image_out", "clip_tiny/encode_text_out"),
                checks.stream().map(FixtureCheck::name).toList());
        assertAll(checks.stream().map(c -> () -> assertTrue(c.pass(), c.line())));
    }
}
