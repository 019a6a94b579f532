package dev.vqclip.engine.vqgan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class VqganConfigTest {
    private static final String TINY = "{\"ddconfig\": {\"double_z\": false, \"z_channels\": 16, \"resolution\": 32, "
            + "\"in_channels\": 3, \"out_ch\": 3, \"ch\": 32, \"ch_mult\": [1, 2, 2], \"num_res_blocks\": 1, "
            + "\"attn_resolutions\": [8], \"dropout\": 0.0}, \"n_embed\": 64, \"embed_dim\": 16}";

    @Test
    void metadataJsonGivesTheTamingDdconfig() {
        VqganConfig c = VqganConfig.fromMetadataJson(TINY);
        assertEquals(new VqganConfig(32, List.of(1, 2, 2), 1, List.of(8), 16, 32, 3, 3, 16, 64, false), c);
        assertEquals(4, c.factor());
    }

    @Test
    void gumbelFlagIsRead() {
        assertTrue(VqganConfig.fromMetadataJson(TINY.replace("\"embed_dim\": 16}", "\"embed_dim\": 16, \"gumbel\": true}"))
                .gumbel());
    }

    @Test
    void doubleZIsRejectedBecauseVqganEncodersOutputZChannels() {
        String vae = TINY.replace("\"double_z\": false", "\"double_z\": true");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VqganConfig.fromMetadataJson(vae));
        assertTrue(e.getMessage().contains("double_z"), e.getMessage());
    }

    @Test
    void aMissingFieldIsNamed() {
        String bad = TINY.replace("\"n_embed\": 64, ", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VqganConfig.fromMetadataJson(bad));
        assertTrue(e.getMessage().contains("n_embed"), e.getMessage());
    }
}
