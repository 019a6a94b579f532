package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.vqgan.VqganConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TamingYamlTest {

    @Test
    void theTinyYamlReadsAsTheTinyConfig() {
        TamingConfig c = TamingYaml.read(Fixtures.file("vqgan_tiny.yaml"));
        assertEquals(TamingConfig.VQ_MODEL, c.target());
        assertEquals(16, c.embedDim());
        assertEquals(64, c.nEmbed());
        assertEquals(new TamingConfig.DdConfig(false, 16, 32, 3, 3, 32, List.of(1, 2, 2), 1, List.of(8), 0.0),
                c.ddconfig());
        assertEquals(new VqganConfig(32, List.of(1, 2, 2), 1, List.of(8), 16, 32, 3, 3, 16, 64, false),
                c.toVqganConfig());
    }

    @Test
    void theYamlAgreesWithTheShapesOfTheCheckpointItDescribes() {
        VqganConfig fromYaml = TamingYaml.read(Fixtures.file("vqgan_tiny.yaml")).toVqganConfig();
        StateDict sd = TorchCheckpoint.read(Fixtures.file("vqgan_tiny.ckpt"));
        assertEquals(fromYaml, VqganConfigs.inferFromShapes(sd, fromYaml.resolution()));
    }

    private static final String GUMBEL = """
            model:
              target: taming.models.vqgan.GumbelVQ
              params:
                kl_weight: 1.0e-08
                embed_dim: 256
                n_embed: 8192
                ddconfig:
                  double_z: False
                  z_channels: 256
                  resolution: 256
                  in_channels: 3
                  out_ch: 3
                  ch: 128
                  ch_mult: [ 1,1,2,4]
                  num_res_blocks: 2
                  attn_resolutions: [32]
                  dropout: 0.0
            """;

    @Test
    void gumbelTargetSetsGumbel() {
        VqganConfig c = TamingYaml.parse(GUMBEL).toVqganConfig();
        assertTrue(c.gumbel());
        assertEquals(8, c.factor());
    }

    @Test
    void aNet2NetConfigYieldsItsFirstStage() {
        String yaml = """
                model:
                  target: taming.models.cond_transformer.Net2NetTransformer
                  params:
                    first_stage_config:
                """ + GUMBEL.lines().skip(1).map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n");
        assertTrue(TamingYaml.parse(yaml).toVqganConfig().gumbel());
    }

    @Test
    void otherModelTargetsAreRefusedByName() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> TamingYaml.parse(GUMBEL.replace("taming.models.vqgan.GumbelVQ", "taming.models.vqgan.EMAVQ")));
        assertTrue(e.getMessage().startsWith("unsupported taming model target 'taming.models.vqgan.EMAVQ'"),
                e.getMessage());
    }

    @Test
    void aWrongFieldTypeIsNamed() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> TamingYaml.parse(GUMBEL.replace("num_res_blocks: 2", "num_res_blocks: two")));
        assertEquals("config field 'num_res_blocks' must be an integer but is \"two\"", e.getMessage());
    }
}
