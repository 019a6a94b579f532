package dev.vqclip.bench.parity;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.FixtureDir;
import java.util.List;
import org.junit.jupiter.api.Test;

final class VqganFixtureChecksTest {

    @Test
    void everyVqganStageMatchesTamingWithinTheFixtureTolerance() {
        List<FixtureCheck> checks = new VqganFixtureChecks("vqgan_tiny").run(FixtureDir.get());
        checks.forEach(c -> System.out.println(c.line()));
        assertEquals(List.of("encoder_out", "quant_conv_out", "quantized", "indices", "quantize_loss",
                "post_quant_conv_out", "decoded", "decoded_rect"),
                checks.stream().map(c -> c.name().substring("vqgan_tiny/".length())).toList());
        assertAll(checks.stream().map(c -> () -> assertTrue(c.pass(), c.line())));
    }
}
